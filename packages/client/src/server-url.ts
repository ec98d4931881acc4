const SOCKET_PATH = /^(.*\/api\/v1\/ws)(?:\/([^/]+))?$/;

export interface ServerLocation {
  /** ws: or wss: URL of the WebSocket endpoint without a session, e.g. ws://host:8000/api/v1/ws */
  socketBase: URL;
  /** http: or https: URL the API paths hang off, e.g. http://host:8000 (with any path prefix) */
  httpBase: URL;
  /** The session named in the URL, if it was a full /api/v1/ws/{id} URL. */
  sessionId: string | undefined;
  /** A `resume_from` the URL carried; the client owns that parameter, so it is taken out of the base. */
  resumeFrom: number | undefined;
}

/**
 * Reads the server address the client was given: a base (`ws://host:8000`, `https://host/viva`) or a full
 * `/api/v1/ws[/id]` URL, with http(s) turned into ws(s). A relative URL is resolved against the page in
 * a browser.
 */
export function parseServerUrl(input: string): ServerLocation {
  const page = typeof location === 'undefined' ? undefined : location.href;
  const url = new URL(input, page);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new TypeError(`The server URL must start with ws:, wss:, http: or https: (got ${url.protocol})`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const match = SOCKET_PATH.exec(path);
  const socketPath = match?.[1] ?? `${path}/api/v1/ws`;
  const rootPath = socketPath.slice(0, -'/api/v1/ws'.length);
  const sessionId = match?.[2] === undefined ? undefined : decodeURIComponent(match[2]);

  const socketBase = new URL(url.href);
  socketBase.protocol = secure ? 'wss:' : 'ws:';
  socketBase.pathname = socketPath;
  socketBase.hash = '';
  const resumeParameter = socketBase.searchParams.get('resume_from');
  socketBase.searchParams.delete('resume_from');
  const resumeFrom = resumeParameter !== null && /^\d{1,15}$/.test(resumeParameter) ? Number(resumeParameter) : undefined;
  const httpBase = new URL(url.href);
  httpBase.protocol = secure ? 'https:' : 'http:';
  httpBase.pathname = rootPath === '' ? '/' : rootPath;
  httpBase.search = '';
  httpBase.hash = '';
  return { socketBase, httpBase, sessionId, resumeFrom };
}

/** The URL to open for `sessionId` (or a new session) with the given query parameters. */
export function socketUrl(
  location: ServerLocation,
  sessionId: string | undefined,
  query: { token?: string | undefined; resume_from?: number | undefined },
): string {
  const url = new URL(location.socketBase.href);
  if (sessionId !== undefined) url.pathname = `${url.pathname}/${encodeURIComponent(sessionId)}`;
  if (query.token !== undefined) url.searchParams.set('token', query.token);
  if (query.resume_from !== undefined) url.searchParams.set('resume_from', String(query.resume_from));
  return url.href;
}

/**
 * An absolute http(s) URL for a path the server sent (such as `report_url`), kept under the path prefix
 * the client was configured with, so it also works behind a proxy that mounts Viva below `/`.
 */
export function httpUrl(location: ServerLocation, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  const root = location.httpBase.pathname.replace(/\/+$/, '');
  const url = new URL(location.httpBase.href);
  const [pathname, search] = splitQuery(path.startsWith('/') ? path : `/${path}`);
  url.pathname = `${root}${pathname}`;
  url.search = search;
  return url.href;
}

function splitQuery(path: string): [string, string] {
  const index = path.indexOf('?');
  return index === -1 ? [path, ''] : [path.slice(0, index), path.slice(index)];
}
