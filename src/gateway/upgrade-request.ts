import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';

/** What the upgrade checks read of a request: its headers, its client's address and its query. */
export interface UpgradeRequest {
  headers: IncomingHttpHeaders;
  /** The client's address (the first X-Forwarded-For entry when TRUST_PROXY is on, as Fastify's `request.ip`). */
  ip: string;
  query: ParsedUrlQuery;
}

/** Where an upgrade goes: a WebSocket route (with the session id of `/api/v1/ws/{id}`, still encoded), or elsewhere. */
export type UpgradeTarget = { route: 'new'; path: string } | { route: 'session'; path: string; rawSessionId: string } | { route: 'none'; path: string };

const WS_PATH = '/api/v1/ws';

/** Matches the two WebSocket routes, as Fastify's router did (exact, case-sensitive, one path segment for the id). */
export function upgradeTarget(url: string): UpgradeTarget {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === WS_PATH) return { route: 'new', path };
  if (path.startsWith(`${WS_PATH}/`)) {
    const rawSessionId = path.slice(WS_PATH.length + 1);
    if (rawSessionId.length > 0 && !rawSessionId.includes('/')) return { route: 'session', path, rawSessionId };
  }
  return { route: 'none', path };
}

/** The id in the path, percent-decoded as Fastify decoded route parameters; undefined if it cannot be. */
export function decodeSessionId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function upgradeRequest(request: IncomingMessage, trustProxy: boolean): UpgradeRequest {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  return {
    headers: request.headers,
    ip: clientAddress(request, trustProxy),
    query: queryAt === -1 ? {} : parseQuery(url.slice(queryAt + 1)),
  };
}

/**
 * With a trusted proxy every hop is trusted, so the client is the first address of X-Forwarded-For
 * (what Fastify's `trustProxy: true` gives as `request.ip`); otherwise the socket's peer.
 */
function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const socketAddress = request.socket.remoteAddress ?? '';
  if (!trustProxy) return socketAddress;
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',')[0]?.trim();
  return first !== undefined && first.length > 0 ? first : socketAddress;
}

/** The headers every HTTP answer of the server carries (the Fastify app's onSend hook sets the same). */
const SECURITY_HEADERS =
  'x-content-type-options: nosniff\r\nx-frame-options: DENY\r\nreferrer-policy: no-referrer\r\ncross-origin-opener-policy: same-origin\r\n';

/** Answers a refused upgrade with a JSON error body and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  // as ws's own refusals: the server's sockets are half-open, so end() alone would leave this one open
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(text)}\r\n${SECURITY_HEADERS}\r\n${text}`,
  );
}
