import type { TranscriptTurn } from '@viva/protocol/http-schemas.js';
import type { InterviewReport, InterviewSettingsInput, InterviewStatus } from '@viva/protocol/interview-schemas.js';
import { ApiError, requestJson } from '../shared/http-json.js';

/** The management API (docs/protocol.md §7) as the dashboard uses it; every call carries the admin token. */

export interface NodeStats {
  node_id?: string;
  connections_active: number;
  messages_in: number;
  messages_out: number;
}

export interface Stats {
  connections_active: number;
  sessions_total: number;
  sessions_active: number;
  messages_in: number;
  messages_out: number;
  errors_by_code: Record<string, number>;
  uptime_s: number;
  nodes: NodeStats[];
}

export interface ConnectedSession {
  session_id: string;
  connected_at: string;
  last_activity_at: string;
  remote_address: string;
  node: string;
  candidate?: { name?: string };
  interview: InterviewStatus;
}

export interface SessionDetail {
  session_id: string;
  created_at: string;
  candidate: { name?: string };
  template_id?: string | null;
  role?: string;
  level?: string;
  language?: 'en' | 'zh';
  connection: ConnectedSession | null;
  interview: InterviewStatus;
  started_at?: string | null;
  ended_at?: string | null;
  last_seq: number;
  transcript: TranscriptTurn[];
  notices?: Array<{ seq: number; at: string; message: string; from: string }>;
  report?: InterviewReport | null;
  /** The printable report's own signed URL (null until there is a report). */
  report_page_url?: string | null;
}

/** A template as GET /api/v1/templates lists it (docs/protocol.md §10). */
export interface Template {
  template_id: string;
  name: string;
  interview: InterviewSettingsInput;
  focus: string[];
  invite: string;
  invite_url: string;
  created_at: string;
  updated_at: string;
  candidates?: number;
  completed?: number;
}

export interface InterviewItem {
  session_id: string;
  candidate: { name?: string };
  template_id: string | null;
  interview: { role: string; level: string; language: 'en' | 'zh'; state: InterviewStatus['state']; question_number: number; total_questions: number };
  created_at: string;
  updated_at: string;
  connected: boolean;
  report: { overall_score: number; recommendation: InterviewReport['recommendation']; method: string } | null;
}

export interface InterviewFilters {
  state?: string;
  template_id?: string;
  q?: string;
  from?: string;
  to?: string;
}

export interface Comparison {
  template_id: string;
  name: string;
  competencies: string[];
  items: Array<{
    session_id: string;
    candidate: { name?: string };
    state: InterviewStatus['state'];
    created_at: string;
    overall_score: number | null;
    recommendation: InterviewReport['recommendation'] | null;
    competencies: Record<string, number | null>;
  }>;
}

export class AdminApi {
  constructor(private readonly token: string) {}

  stats(signal?: AbortSignal): Promise<Stats> {
    return this.get('/api/v1/websocket/stats', signal);
  }

  sessions(signal?: AbortSignal): Promise<{ total: number; sessions: ConnectedSession[] }> {
    return this.get('/api/v1/websocket/sessions?limit=200', signal);
  }

  session(sessionId: string, signal?: AbortSignal): Promise<SessionDetail> {
    return this.get(`/api/v1/websocket/sessions/${encodeURIComponent(sessionId)}`, signal);
  }

  sendMessage(sessionId: string, message: string): Promise<{ delivered: boolean; seq: number }> {
    return requestJson(`/api/v1/websocket/sessions/${encodeURIComponent(sessionId)}/message`, {
      method: 'POST',
      body: { message },
      headers: this.headers(),
    });
  }

  broadcast(message: string): Promise<{ recipients: number; sessions?: number }> {
    return requestJson('/api/v1/websocket/broadcast', { method: 'POST', body: { message }, headers: this.headers() });
  }

  templates(signal?: AbortSignal): Promise<{ items: Template[] }> {
    return this.get('/api/v1/templates', signal);
  }

  createTemplate(body: { name: string; interview: InterviewSettingsInput; focus?: string[] }): Promise<Template> {
    return requestJson('/api/v1/templates', { method: 'POST', body, headers: this.headers() });
  }

  /** PATCH: `interview` replaces the template's settings as a whole (sessions already started keep theirs). */
  updateTemplate(templateId: string, body: { name?: string; interview?: InterviewSettingsInput; focus?: string[] }): Promise<Template> {
    return requestJson(`/api/v1/templates/${encodeURIComponent(templateId)}`, { method: 'PATCH', body, headers: this.headers() });
  }

  deleteTemplate(templateId: string): Promise<unknown> {
    return requestJson(`/api/v1/templates/${encodeURIComponent(templateId)}`, { method: 'DELETE', headers: this.headers() });
  }

  comparison(templateId: string, signal?: AbortSignal): Promise<Comparison> {
    return this.get(`/api/v1/templates/${encodeURIComponent(templateId)}/candidates`, signal);
  }

  interviews(filters: InterviewFilters, limit: number, cursor?: string, signal?: AbortSignal): Promise<{ items: InterviewItem[]; next_cursor: string | null }> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (typeof value === 'string' && value !== '') query.set(name, value);
    query.set('limit', String(limit));
    if (cursor !== undefined) query.set('cursor', cursor);
    return this.get(`/api/v1/interviews?${query.toString()}`, signal);
  }

  endInterview(sessionId: string): Promise<InterviewReport> {
    return requestJson(`/api/v1/interview/${encodeURIComponent(sessionId)}/admin-end`, { method: 'POST', body: {}, headers: this.headers() });
  }

  erase(sessionId: string): Promise<unknown> {
    return requestJson(`/api/v1/interview/${encodeURIComponent(sessionId)}`, { method: 'DELETE', headers: this.headers() });
  }

  /** A file the API answers with (the printable report, a CSV export) as a Blob, fetched with the token. */
  async download(path: string, accept: string): Promise<Blob> {
    const response = await fetch(path, { headers: { ...this.headers(), accept }, cache: 'no-store' });
    if (!response.ok) throw new ApiError(`${response.status} ${response.statusText}`, response.status, undefined);
    return response.blob();
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return requestJson<T>(path, { headers: this.headers(), ...(signal ? { signal } : {}) });
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

export type { TranscriptTurn };
