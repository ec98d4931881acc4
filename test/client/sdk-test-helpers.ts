import WebSocket from 'ws';
import { VivaClient, type VivaClientEvents, type VivaClientOptions } from '@viva/client/index.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';

/** A VivaClient on `ws`, with fast reconnects so tests do not wait on the default backoff. */
export function makeClient(options: Omit<VivaClientOptions, 'WebSocket'>): VivaClient {
  return new VivaClient({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...options, WebSocket });
}

/** The next `type` event (whose arguments pass `predicate`), or a rejection after `timeoutMs`. */
export function nextEvent<K extends keyof VivaClientEvents>(
  client: VivaClient,
  type: K,
  predicate: (...args: Parameters<VivaClientEvents[K]>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Parameters<VivaClientEvents[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for the ${String(type)} event`));
    }, timeoutMs);
    const off = client.on(type, ((...args: Parameters<VivaClientEvents[K]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    }) as VivaClientEvents[K]);
  });
}

/** Every message the client emits, in order. */
export function recordMessages(client: VivaClient): ServerMessage[] {
  const messages: ServerMessage[] = [];
  client.on('message', (message) => messages.push(message));
  return messages;
}

/** Polls `condition` until it holds (for state outside the client, such as the server's transcript). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TranscriptTurn {
  turn: number;
  candidate: string | null;
  interviewer: string;
}

/** The session's transcript as the server stored it (GET /api/v1/interview/{id}). */
export async function transcriptOf(baseUrl: string, sessionId: string): Promise<TranscriptTurn[]> {
  const response = await fetch(`${baseUrl}/api/v1/interview/${encodeURIComponent(sessionId)}`);
  if (!response.ok) throw new Error(`GET interview answered ${response.status}`);
  const body = (await response.json()) as { transcript: TranscriptTurn[] };
  return body.transcript;
}

/** Answers concrete enough for the built-in interviewer to move on instead of asking follow-ups. */
export const ANSWERS = [
  'At my last job I built a payments API in Go that handled 2,000 requests per second; for example I added idempotency keys, and as a result duplicate charges fell to zero.',
  'When our database failed over at night, I noticed it from the p99 latency alert, rolled traffic to the replica within ten minutes, and afterwards we added a runbook and a chaos test.',
  'I profile first: I once found an N+1 query with the tracing tool, batched it, and the endpoint went from 800 ms to 90 ms, which I measured with a load test.',
  'I disagreed with a teammate about a schema change; we wrote down both options with their costs, asked for a review, and shipped the safer migration, which I then documented.',
  'I would like to know how the team decides what to build next, and how on-call works for this role.',
  'I mentored two junior engineers through code review and pairing; as a result both shipped features on their own within three months.',
];
