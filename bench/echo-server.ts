import { WebSocketServer } from 'ws';

/**
 * The baseline of the bench: a raw `ws` server that echoes every frame back, nothing else. It runs as a
 * child process exactly as Viva does (`node --import tsx`), so the two pay the same loader overhead.
 * Environment: HOST (default 127.0.0.1), PORT (default 0, any free port).
 */
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? '0');

// the same frame limit Viva sets by default would not change an echo of small frames; 1 MiB is plenty
const server = new WebSocketServer({ host, port, maxPayload: 1024 * 1024, perMessageDeflate: false });

server.on('connection', (socket) => {
  socket.on('error', () => undefined);
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});

server.on('listening', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  process.stderr.write(`echo listening on http://${host}:${actualPort}\n`);
});

const stop = () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
