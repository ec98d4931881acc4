import type { HeartbeatWatchdog } from './heartbeat-watchdog.js';
import type { InterviewEndedMessage, ConnectionState } from './viva-client-types.js';
import type { WebSocketLike } from './websocket-like.js';

type Timer = ReturnType<typeof setTimeout>;

/** One socket the client opened: what it learns about that socket and nothing else. */
export interface Wire {
  readonly socket: WebSocketLike;
  /** Counts sockets; an input's `sentOn` names the socket it went out on. */
  readonly generation: number;
  /** The HTTP status of a refused upgrade, when the WebSocket implementation tells it (`ws` does). */
  refusedStatus: number | undefined;
}

/**
 * Where the connection is. Exactly one phase at a time, each holding only what it needs, so that no
 * combination of flags can say two things at once (a reconnect timer while open, a socket while closed).
 *
 * - `closed`: not running; `connect()` starts it.
 * - `scheduled`: no socket; a dial is due (now for the first one, after `timer` for a reconnect).
 * - `dialing`: a socket is opening, and counts as attempt `attempt` until `connected` arrives or `connectTimer` fires.
 * - `open`: `connected` arrived on `wire`; `watchdog` watches it for silence.
 *
 * `attempt` counts reconnect attempts since the last `connected`; 0 is the first connection.
 */
export type Link =
  | { readonly phase: 'closed' }
  | { readonly phase: 'scheduled'; readonly attempt: number; readonly timer: Timer | undefined }
  | { readonly phase: 'dialing'; readonly attempt: number; readonly wire: Wire; readonly connectTimer: Timer }
  | { readonly phase: 'open'; readonly wire: Wire; readonly watchdog: HeartbeatWatchdog };

export const CLOSED: Link = { phase: 'closed' };

/** The state the client shows (`client.state`): the first connection is `connecting`, every later one `reconnecting`. */
export function publicState(link: Link): ConnectionState {
  switch (link.phase) {
    case 'closed':
      return 'closed';
    case 'open':
      return 'open';
    case 'scheduled':
    case 'dialing':
      return link.attempt === 0 ? 'connecting' : 'reconnecting';
  }
}

/** The socket of a link that has one. */
export function wireOf(link: Link): Wire | undefined {
  return link.phase === 'dialing' || link.phase === 'open' ? link.wire : undefined;
}

/**
 * Whether the `candidate` / `interview` settings still have to be sent (`unsent`), were sent with a
 * `connect` message whose answer is awaited (`awaiting`, by its id), or are in (`done`; also when there
 * were none). A connection lost while awaiting goes back to `unsent`: the next one sends them again.
 */
export type SettingsState = { readonly kind: 'unsent' } | { readonly kind: 'awaiting'; readonly id: string } | { readonly kind: 'done' };

/**
 * The session, apart from any connection: it outlives sockets, and a new `connect()` resumes it.
 * `seqKnown` says whether `lastSeq` is a real resume point (given, or learnt from the first `connected`).
 */
export interface SessionProgress {
  id: string | undefined;
  issuedToken: string | undefined;
  lastSeq: number;
  seqKnown: boolean;
  lastEnded: InterviewEndedMessage | undefined;
  /** The server's `max_message_bytes`, kept between connections for inputs made while reconnecting. */
  maxMessageBytes: number;
}
