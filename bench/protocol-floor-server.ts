import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The ceiling of the bench's ratio: a raw `ws` server that speaks Viva's wire protocol and does no work.
 * It answers every `text_input` with the frames docs/protocol.md §2 asks of a turn (`status` `thinking`,
 * `ai_response_delta`s, `ai_response`), built from a template of the built-in interviewer's sizes, and
 * greets each connection with `connected`: no storage, no interviewer, no validation. What the load
 * generator can drive through it is the most any server keeping the contract can reach under the same
 * load on the same machine; the gap between it and echo is the contract's, not Viva's.
 * Environment: HOST (default 127.0.0.1), PORT (default 0), DELTAS (pieces per reply, default 3, as the
 * built-in interviewer sends for a typical reply; 0 is the contract's minimum).
 */
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? '0');
const deltas = Math.max(0, Number(process.env.DELTAS ?? '3'));

const REPLY =
  'Thank you, that is a clear example of keeping a migration safe while both paths ran. ' +
  'What would you do differently if you had to do it again? ' +
  'Take your time, and be as specific as you can.';
const PIECES = splitEvenly(REPLY, Math.max(1, deltas));

let sessions = 0;
const server = new WebSocketServer({ host, port, maxPayload: 1024 * 1024, perMessageDeflate: false });

server.on('connection', (socket) => {
  sessions += 1;
  const sessionId = `s_floor${sessions.toString(36)}`;
  let seq = 0;
  let turn = 0;
  socket.on('error', () => undefined);
  socket.send(
    JSON.stringify({
      type: 'connected',
      session_id: sessionId,
      timestamp: new Date().toISOString(),
      data: {
        session_id: sessionId,
        resumed: false,
        protocol: '1.0',
        heartbeat_interval_ms: 25000,
        max_message_bytes: 14680064,
        last_seq: 0,
        interview: { state: 'not_started', stage: null, question_number: null, total_questions: null },
        session_token: 'v1.floor.0000000000000000000000000000000000000000000',
      },
    }),
  );
  socket.on('message', (data) => {
    let id: unknown;
    try {
      id = (JSON.parse(data.toString()) as { id?: unknown }).id;
    } catch {
      return;
    }
    const replyTo = typeof id === 'string' ? id : undefined;
    turn += 1;
    seq += 1;
    // the turn's frames leave in one write, as Viva sends them
    const raw = (socket as unknown as { _socket?: Socket })._socket;
    raw?.cork();
    process.nextTick(() => raw?.uncork());
    const timestamp = new Date().toISOString();
    const envelope = { session_id: sessionId, timestamp, ...(replyTo !== undefined ? { reply_to: replyTo } : {}) };
    socket.send(JSON.stringify({ type: 'status', ...envelope, data: { state: 'thinking' } }));
    if (deltas > 0) for (const delta of PIECES) socket.send(JSON.stringify({ type: 'ai_response_delta', ...envelope, data: { turn, delta } }));
    socket.send(
      JSON.stringify({
        type: 'ai_response',
        ...envelope,
        seq,
        data: {
          ai_response: REPLY,
          turn,
          interview: { state: 'in_progress', stage: 'experience', question_number: turn, total_questions: 8 },
          follow_up: false,
          latency_ms: { ai: 0, total: 0 },
        },
      }),
    );
  });
});

server.on('listening', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  process.stderr.write(`protocol floor listening on http://${host}:${actualPort}\n`);
});

function splitEvenly(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts);
  return Array.from({ length: parts }, (_, index) => text.slice(index * size, (index + 1) * size)).filter((piece) => piece.length > 0);
}

const stop = () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
