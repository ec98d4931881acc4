/**
 * The part of the WebSocket API the client uses. The browser's `WebSocket` and the `ws` package (Node 20
 * has no global WebSocket) both fit it. Handlers are typed `never` here so that either implementation's
 * own event types are accepted; the client declares the fields it reads.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket (the same in every implementation). */
export const SOCKET_OPEN = 1;

export interface MessageEventLike {
  data: unknown;
}

export interface CloseEventLike {
  code: number;
  reason: string;
}

/** `ws` passes an ErrorEvent with a `message`; browsers pass a bare Event. */
export interface ErrorEventLike {
  message?: unknown;
}

/** The WebSocket to use: the one given, else the global one, else a clear error. */
export function resolveWebSocket(given: WebSocketConstructor | undefined): WebSocketConstructor {
  if (given !== undefined) return given;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global !== undefined) return global;
  throw new TypeError(
    "No WebSocket implementation: pass one as `WebSocket` (in Node 20: import WebSocket from 'ws').",
  );
}
