import type { TranscriptTurn } from '../../../src/protocol/http-schemas.js';
import type { InterviewStatus } from '../../../src/protocol/interview-schemas.js';
import { requestJson } from '../shared/http-json.js';

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
  connection: ConnectedSession | null;
  interview: InterviewStatus;
  last_seq: number;
  transcript: TranscriptTurn[];
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

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return requestJson<T>(path, { headers: this.headers(), ...(signal ? { signal } : {}) });
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

export type { TranscriptTurn };
