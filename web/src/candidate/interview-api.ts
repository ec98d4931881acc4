import type { TranscriptTurn } from '../../../src/protocol/http-schemas.js';
import type { Candidate, InterviewReport, InterviewSettingsInput, InterviewStatus } from '../../../src/protocol/interview-schemas.js';
import { interviewReportSchema } from '../../../src/protocol/interview-schemas.js';
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
  settings: { role: string; level: string; language: 'en' | 'zh'; question_count?: number };
  interview: InterviewStatus;
  last_seq: number;
  transcript: TranscriptTurn[];
  report_available: boolean;
}

function authorization(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

export function startInterview(body: { candidate: Candidate; interview: InterviewSettingsInput }): Promise<StartedInterview> {
  return requestJson<StartedInterview>('/api/v1/interview/start', { method: 'POST', body });
}

export function fetchInterview(sessionId: string, token: string | undefined): Promise<InterviewRecord> {
  return requestJson<InterviewRecord>(`/api/v1/interview/${encodeURIComponent(sessionId)}`, { headers: authorization(token) });
}

export async function fetchReport(reportUrl: string, token: string | undefined): Promise<InterviewReport> {
  const body = await requestJson<unknown>(reportUrl, { headers: authorization(token) });
  const parsed = interviewReportSchema.safeParse(body);
  if (!parsed.success) throw new ApiError('The report has an unexpected shape.', 200, undefined);
  return parsed.data;
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
