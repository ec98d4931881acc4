/**
 * What streaming through Viva adds to each token: the time from a token leaving a local OpenAI-compatible
 * streaming server to its `ai_response_delta` arriving at a WebSocket client. Everything runs in this
 * process (one clock): the fake model server, Viva with LLM_PROVIDER=openai, and the client. The path
 * measured is the whole real one: TCP, SSE parsing in the OpenAI SDK, the resilient model wrapper, the
 * interviewer's reply reader, the coordinator, the WebSocket frame and the client's JSON parse.
 *
 *   npx tsx bench/stream-overhead.ts [--turns 30] [--tokens 100] [--gap-ms 2]
 *
 * Target: a median under 1 ms.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { FakeOpenAiServer, type ChatRequest } from '../test/helpers/fake-openai-server.js';
import { interviewModel, roleOf } from '../test/helpers/fake-interview-model.js';
import { startInProcess } from '../test/helpers/in-process-viva.js';
import { summariseLatencies } from './latency-stats.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '30' },
    tokens: { type: 'string', default: '100' },
    'gap-ms': { type: 'string', default: '2' },
  },
});
const turns = Number(values.turns);
const tokens = Number(values.tokens);
const gapMs = Number(values['gap-ms']);

interface Delta {
  turn: number;
  delta: string;
  arrivedAt: number;
}

const fake = await FakeOpenAiServer.start();
// every reply is `t0 t1 t2 …`, one token per chunk, so each delta names the tokens it carries
const reply = Array.from({ length: tokens }, (_value, index) => `t${index} `);
fake.chatHandler = interviewModel({ interviewer: () => ({ kind: 'reply', text: reply.join(''), chunks: reply, chunkDelayMs: gapMs }) });
const viva = await startInProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl, LOG_LEVEL: 'silent' });

const socket = new WebSocket(`${viva.wsUrl}/api/v1/ws`);
const deltas: Delta[] = [];
const waiters: Array<(turn: number) => void> = [];
socket.on('message', (raw) => {
  const arrivedAt = performance.now();
  const message = JSON.parse(raw.toString()) as { type: string; data: { turn?: number; delta?: string } };
  if (message.type === 'ai_response_delta') deltas.push({ turn: message.data.turn ?? 0, delta: message.data.delta ?? '', arrivedAt });
  if (message.type === 'ai_response') waiters.shift()?.(message.data.turn ?? 0);
  if (message.type === 'error') console.error('error from the server:', JSON.stringify(message.data));
});
await new Promise<void>((resolve, reject) => {
  socket.once('open', () => resolve());
  socket.once('error', reject);
});
socket.send(JSON.stringify({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 30, max_minutes: 240 } } }));

const samples: number[] = [];
const requestOfTurn = new Map<number, ChatRequest>();
for (let index = 0; index < turns; index += 1) {
  const done = new Promise<number>((resolve) => waiters.push(resolve));
  socket.send(JSON.stringify({ type: 'text_input', id: `bench-${index}`, data: { text: `Answer ${index}: I led a migration and measured the result.` } }));
  const turn = await done;
  const request = fake.chatRequests.filter((candidate) => roleOf(candidate) === 'interviewer').at(-1);
  if (request !== undefined) requestOfTurn.set(turn, request);
}

for (const delta of deltas) {
  const sentAt = requestOfTurn.get(delta.turn)?.chunkSentAt;
  if (sentAt === undefined) continue;
  // a delta carries the tokens written since the previous one; the newest of them is the one it waited for
  const newest = [...delta.delta.matchAll(/t(\d+)/g)].map((match) => Number(match[1])).at(-1);
  const sent = newest === undefined ? undefined : sentAt[newest];
  if (sent !== undefined) samples.push(delta.arrivedAt - sent);
}

const summary = summariseLatencies(samples);
const format = (milliseconds: number) => `${(milliseconds * 1000).toFixed(0)} µs`;
console.log(`stream overhead, model token → ai_response_delta at the WebSocket client (${samples.length} tokens, ${turns} turns)`);
console.log(`  median ${format(summary.p50)}   p90 ${format(summary.p90)}   p99 ${format(summary.p99)}   max ${format(summary.max)}   mean ${format(summary.mean)}`);
console.log(`  target: median < 1 ms — ${summary.p50 < 1 ? 'met' : 'NOT met'}`);

socket.close();
await viva.stop();
await fake.close();
