import type { TranscriptTurn } from '@viva/protocol/http-schemas.js';
import type { CandidateReport, Candidate, InterviewSettingsInput, InterviewStatus } from '@viva/protocol/interview-schemas.js';
import { candidateReportSchema, interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { candidateSummaryOf } from '../../../src/interview/candidate-report.js';
import { ApiError, requestJson } from '../shared/http-json.js';

/** The HTTP side of the interview API (docs/protocol.md §7) that the candidate app needs. */

export interface StartedInterview {
  session_id: string;
  session_token: string;
  ai_response: string;
  turn: number;
  seq: number;
  interview: InterviewStatus;
  ws_url: string;
}

export interface InterviewRecord {
  session_id: string;
  candidate: Candidate;
  settings: { role: string; level: string; language: 'en' | 'zh'; question_count?: number; max_minutes: number };
  started_at: string | null;
  interview: InterviewStatus;
  last_seq: number;
  transcript: TranscriptTurn[];
  report_available: boolean;
}

function authorization(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

export function startInterview(body: { candidate: Candidate; interview?: InterviewSettingsInput; invite?: string }): Promise<StartedInterview> {
  return requestJson<StartedInterview>('/api/v1/interview/start', { method: 'POST', body });
}

/** What an invite link is for (GET /api/v1/invites/{key}): the job's name and the interview's settings. */
export interface InviteDetails {
  name: string;
  interview: { role: string; level: string; language: 'en' | 'zh'; question_count: number; max_minutes: number };
}

export function fetchInvite(invite: string): Promise<InviteDetails> {
  return requestJson<InviteDetails>(`/api/v1/invites/${encodeURIComponent(invite)}`);
}

export function fetchInterview(sessionId: string, token: string | undefined): Promise<InterviewRecord> {
  return requestJson<InterviewRecord>(`/api/v1/interview/${encodeURIComponent(sessionId)}`, { headers: authorization(token) });
}

/**
 * What the candidate is shown of the evaluation: never a score or a recommendation. The server sends the
 * summary (CANDIDATE_REPORT=summary), the whole report (`full`: the app still shows only the candidate's
 * part of it) or 403 (`none`: null here).
 */
export async function fetchReport(reportUrl: string, token: string | undefined): Promise<CandidateReport | null> {
  let body: unknown;
  try {
    body = await requestJson<unknown>(reportUrl, { headers: authorization(token) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
  const summary = candidateReportSchema.safeParse(body);
  if (summary.success) return summary.data;
  const full = interviewReportSchema.safeParse(body);
  if (full.success) return candidateSummaryOf(full.data);
  throw new ApiError('The report has an unexpected shape.', 200, undefined);
}

export function reportUrlOf(sessionId: string): string {
  return `/api/v1/interview/${encodeURIComponent(sessionId)}/report`;
}

/**
 * The printable HTML report: a plain link (the browser asks for text/html), so the session token has to
 * ride in the query string in token auth mode.
 */
export function printableReportUrl(reportUrl: string, token: string | undefined): string {
  const url = new URL(reportUrl, location.origin);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.pathname + url.search;
}

export type { TranscriptTurn };
