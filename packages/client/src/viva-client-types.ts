import type { Candidate, InterviewSettingsInput } from '@viva/protocol/interview-schemas.js';
import type { ServerMessage, ServerMessageType } from '@viva/protocol/server-messages.js';
import type { ReconnectOptions } from './backoff.js';
import type { VivaClientError } from './viva-client-error.js';
import type { WebSocketConstructor } from './websocket-like.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type ServerMessageOf<K extends ServerMessageType> = Extract<ServerMessage, { type: K }>;
export type AiResponseMessage = ServerMessageOf<'ai_response'>;
export type InterviewEndedMessage = ServerMessageOf<'interview_ended'>;

export interface VivaClientOptions {
  /**
   * The server: a base such as `ws://localhost:8000` or `https://viva.example.com` (http(s) is turned
   * into ws(s)), or a full `…/api/v1/ws[/{session_id}]` URL. Relative URLs resolve against the page.
   */
  url: string;
  /** Attach to this session; without it the server names a new one (see `sessionId` after `connect`). */
  sessionId?: string;
  /** The session token (token auth mode), sent as `?token=`. */
  token?: string;
  candidate?: Candidate;
  /** Interview settings, sent in a `connect` message on the first connection (they count until it starts). */
  interview?: InterviewSettingsInput;
  /**
   * Resume point when restoring a saved session (e.g. from localStorage): messages after it are replayed
   * on connect. `0` replays the whole conversation. Without it, the client starts at the session's present.
   */
  lastSeq?: number;
  reconnect?: ReconnectOptions;
  /** In browsers the global WebSocket; in Node 20 pass the `ws` package's default export. */
  WebSocket?: WebSocketConstructor;
  /** How long `sendText`, `sendAudio` and `endInterview` wait for their answer, milliseconds. @default 120000 */
  requestTimeoutMs?: number;
  /**
   * The client's own liveness check, milliseconds: after this long with nothing from the server it sends a
   * `ping`, and after twice this long it takes the connection for dead and reconnects. The smaller of this
   * and the server's `heartbeat_interval_ms` applies; a page that must show "offline" within seconds sets
   * a few seconds here. @default the server's heartbeat_interval_ms
   */
  heartbeatIntervalMs?: number;
  /** How long an opened connection may take to say `connected` before it is retried, milliseconds. @default 15000 */
  connectTimeoutMs?: number;
  /** Source of randomness for the backoff jitter and ids (tests). @default Math.random */
  random?: () => number;
}

export interface SendTextOptions {
  context?: Record<string, unknown>;
  /** The input's id (at most 64 characters); generated when absent. Reuse one to make a retry idempotent. */
  id?: string;
}

export interface SendAudioOptions {
  /** `wav`, `mp3`, `m4a`, `mp4`, `webm`, `ogg` or `flac`: a hint, the server reads the bytes. */
  format?: string;
  /** The spoken language, such as `en` or `zh`. */
  language?: string;
  context?: Record<string, unknown>;
  id?: string;
}

export interface DisconnectedEvent {
  code: number;
  reason: string;
  /** 1 for the first reconnect attempt after a working connection, and so on. */
  attempt: number;
  /** When the next attempt starts, milliseconds from now. */
  delayMs: number;
}

export interface ClosedEvent {
  code: number;
  reason: string;
  /** Why the client stopped; undefined after `close()`. */
  error: VivaClientError | undefined;
}

export interface InvalidMessageEvent {
  /** What arrived: the parsed JSON, or the raw frame when it was not JSON. */
  data: unknown;
  error: VivaClientError;
}

/** Handlers by event: one per server message type, plus the client's own events. */
export type VivaClientEvents = { [K in ServerMessageType]: (message: ServerMessageOf<K>) => void } & {
  /** Every server message that passed validation and deduplication, after its typed event. */
  message: (message: ServerMessage) => void;
  state: (state: ConnectionState, previous: ConnectionState) => void;
  /** The connection dropped and a reconnect is scheduled. */
  disconnected: (event: DisconnectedEvent) => void;
  /** Close 4001: another connection took the session over. The client stops; `closed` follows. */
  replaced: (event: { code: number; reason: string }) => void;
  /** The client stopped for good. */
  closed: (event: ClosedEvent) => void;
  /** The server sent something that does not match the protocol; it was dropped. */
  invalid_message: (event: InvalidMessageEvent) => void;
};
