import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

/**
 * Child process of the idle-connection test: opens `--count` connections to `<url-base><id-prefix>-<n>`
 * (at most `--concurrency` handshakes at a time), waits until each is ready (socket open, or Viva's
 * `connected` with `--ready connected`), reports on stdout as one JSON line, then holds them idle until
 * it reads `close` on stdin (or stdin ends, or `--lifetime-ms` passes). It is its own process so its
 * sockets and its open-files limit are not the bench's.
 */
const { values } = parseArgs({
  options: {
    'url-base': { type: 'string' },
    count: { type: 'string', default: '10000' },
    ready: { type: 'string', default: 'open' },
    'id-prefix': { type: 'string', default: 'idle' },
    concurrency: { type: 'string', default: '64' },
    'open-timeout-ms': { type: 'string', default: '30000' },
    'lifetime-ms': { type: 'string', default: '600000' },
  },
});
const urlBase = values['url-base'];
if (urlBase === undefined || !/^ws:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(urlBase)) {
  throw new Error('--url-base must be a loopback ws:// address');
}
const count = Number(values.count);
const waitForConnected = values.ready === 'connected';
const concurrency = Number(values.concurrency);
const openTimeoutMs = Number(values['open-timeout-ms']);

const sockets: WebSocket[] = [];
const failures: Record<string, number> = {};
let dropped = 0;
let holding = false;

function report(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function openOne(index: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${urlBase}${values['id-prefix']}-${index}`, { perMessageDeflate: false });
    let settled = false;
    const settle = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure === undefined) sockets.push(socket);
      else {
        failures[failure] = (failures[failure] ?? 0) + 1;
        socket.terminate();
      }
      resolve();
    };
    const timer = setTimeout(() => settle('open_timeout'), openTimeoutMs);
    socket.on('error', () => settle('connect_failed'));
    socket.on('unexpected-response', (_request, response) => settle(`http_${response.statusCode ?? 'unknown'}`));
    socket.on('open', () => {
      if (!waitForConnected) settle();
    });
    socket.on('message', (data: WebSocket.RawData) => {
      if (waitForConnected && !settled && String(data).includes('"type":"connected"')) settle();
    });
    socket.on('close', (code) => {
      if (!settled) settle(`closed_${code}`);
      // a connection the server drops while it should sit idle is a finding, not noise
      else if (holding) dropped += 1;
    });
  });
}

async function openAll(): Promise<void> {
  const startedAt = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await openOne(index);
      if ((index + 1) % 2000 === 0) report({ event: 'progress', attempted: index + 1, open: sockets.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  holding = true;
  report({ event: 'ready', opened: sockets.length, failures, elapsed_ms: Date.now() - startedAt });
}

function closeAllAndExit(code: number): void {
  holding = false;
  const stillOpen = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  for (const socket of sockets) socket.terminate();
  report({ event: 'closed', still_open: stillOpen, dropped });
  process.exit(code);
}

const lifetime = setTimeout(() => closeAllAndExit(1), Number(values['lifetime-ms']));
lifetime.unref();
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() === 'close') closeAllAndExit(0);
});
input.on('close', () => closeAllAndExit(0));
void openAll();
