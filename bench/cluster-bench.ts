/**
 * Cluster-mode benchmark: one gateway node, then three, on the same PostgreSQL and Redis, under the same
 * closed-loop load; prints turns per second and latency side by side.
 *
 *   npx tsx bench/cluster-bench.ts [--candidates 24] [--duration-ms 15000] [--warmup-ms 3000]
 *
 * Each of N candidates loops: open a WebSocket to the next node (round robin; no stickiness), let the
 * server create a session, send five text answers one after another (each waits for its `ai_response`),
 * close, start over. A turn's latency runs from sending the input to receiving its `ai_response`. Both
 * runs use REDIS_URL (cluster mode; the one-node run has a cluster of one) and a fresh PostgreSQL database,
 * so the only difference is the number of nodes. All load comes from this one address, so the per-address
 * limits (sessions per minute, HTTP rate) are lifted for the run.
 *
 * Environment: VIVA_TEST_PG_URL (maintenance database, default postgres://postgres@127.0.0.1:5432/test),
 * VIVA_TEST_REDIS_URL (default redis://127.0.0.1:6379). Keys live under a per-run prefix, removed after.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createTestDatabase } from '../test/helpers/postgres-database.js';
import { startViva, type VivaProcess } from '../test/helpers/viva-process.js';

const TURNS_PER_SESSION = 5;
const TURN_TIMEOUT_MS = 30_000;
/** USER_HZ of Linux's /proc/<pid>/stat; 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

interface RunResult {
  nodes: number;
  /** CPU time (user + system) the node processes spent in the measured window, milliseconds; null off Linux. */
  nodeCpuMs: number | null;
  turns: number;
  sessions: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '24' },
    'duration-ms': { type: 'string', default: '15000' },
    'warmup-ms': { type: 'string', default: '3000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('npx tsx bench/cluster-bench.ts [--candidates 24] [--duration-ms 15000] [--warmup-ms 3000]\n');
  process.exit(0);
}
const candidates = boundedInteger(values.candidates, 'candidates', 1, 500);
const durationMs = boundedInteger(values['duration-ms'], 'duration-ms', 1_000, 600_000);
const warmupMs = boundedInteger(values['warmup-ms'], 'warmup-ms', 0, 120_000);
const redisUrl = process.env.VIVA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function boundedInteger(text: string | undefined, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`--${name} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return value;
}

/** One WebSocket session: five answers, each awaited, then close. Records each turn's latency. */
async function oneSession(url: string, record: (latencyMs: number) => void, measuring: () => boolean): Promise<number> {
  const socket = new WebSocket(url);
  const pending = new Map<string, (ok: boolean) => void>();
  let turnsDone = 0;
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as { type: string; reply_to?: string };
    if ((message.type === 'ai_response' || message.type === 'error') && message.reply_to !== undefined) {
      pending.get(message.reply_to)?.(message.type === 'ai_response');
      pending.delete(message.reply_to);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  try {
    for (let turn = 0; turn < TURNS_PER_SESSION; turn += 1) {
      const id = `b-${turn}`;
      const answered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), TURN_TIMEOUT_MS);
        pending.set(id, (ok) => {
          clearTimeout(timer);
          resolve(ok);
        });
      });
      const started = performance.now();
      socket.send(JSON.stringify({ type: 'text_input', id, data: { text: `Answer ${turn}: I built a queue that absorbs bursts of traffic and cut p99 latency in half.` } }));
      if (!(await answered)) throw new Error('turn failed');
      if (measuring()) record(performance.now() - started);
      turnsDone += 1;
    }
  } finally {
    socket.close();
    await closed;
  }
  return turnsDone;
}

/** CPU time of a process so far (utime + stime from /proc), milliseconds; null where there is no /proc. */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

function totalCpuMs(nodes: VivaProcess[]): number | null {
  let total = 0;
  for (const node of nodes) {
    const value = cpuMs(node.child.pid);
    if (value === null) return null;
    total += value;
  }
  return total;
}

async function runLoad(nodes: VivaProcess[]): Promise<RunResult> {
  const latencies: number[] = [];
  let turns = 0;
  let sessions = 0;
  let errors = 0;
  let next = 0;
  const warmupEnds = Date.now() + warmupMs;
  const ends = warmupEnds + durationMs;
  const measuring = () => {
    const now = Date.now();
    return now >= warmupEnds && now < ends;
  };
  const record = (latency: number) => {
    latencies.push(latency);
    turns += 1;
  };
  const loop = async () => {
    while (Date.now() < ends) {
      const node = nodes[next % nodes.length];
      next += 1;
      if (node === undefined) return;
      try {
        await oneSession(`${node.wsUrl}/api/v1/ws`, record, measuring);
        if (measuring()) sessions += 1;
      } catch {
        errors += 1;
      }
    }
  };
  let cpuAtStart: number | null = null;
  const cpuTimer = setTimeout(() => {
    cpuAtStart = totalCpuMs(nodes);
  }, warmupMs);
  let cpuAtEnd: number | null = null;
  const endTimer = setTimeout(() => {
    cpuAtEnd = totalCpuMs(nodes);
  }, warmupMs + durationMs);
  await Promise.all(Array.from({ length: candidates }, loop));
  clearTimeout(cpuTimer);
  clearTimeout(endTimer);
  const nodeCpuMs = cpuAtStart !== null && cpuAtEnd !== null ? cpuAtEnd - cpuAtStart : null;
  return { nodes: nodes.length, nodeCpuMs, turns, sessions, errors, seconds: durationMs / 1000, latencies };
}

async function runWith(nodeCount: number): Promise<RunResult> {
  const database = await createTestDatabase();
  const prefix = `viva-bench-${randomBytes(4).toString('hex')}:`;
  const nodes: VivaProcess[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: nodeCount }, (_, index) =>
        startViva({
          NODE_ID: `bench-${index + 1}`,
          DATABASE_URL: database.url,
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: prefix,
          SESSIONS_PER_IP_PER_MINUTE: '1000000',
          HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
          MAX_CONNECTIONS_PER_IP: '5000',
          LOG_LEVEL: 'error',
        }),
      ),
    );
    nodes.push(...started);
    process.stderr.write(`${nodeCount} node(s) up; ${candidates} candidates, ${warmupMs} ms warm-up, ${durationMs} ms measured…\n`);
    return await runLoad(nodes);
  } finally {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await database.drop().catch(() => undefined);
    await removeKeys(prefix).catch(() => undefined);
  }
}

async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  try {
    let cursor = '0';
    do {
      const [following, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = following;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

function summarize(result: RunResult) {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    nodes: result.nodes,
    'turns/s': (result.turns / result.seconds).toFixed(1),
    'p50 ms': percentile(sorted, 0.5).toFixed(1),
    'p99 ms': percentile(sorted, 0.99).toFixed(1),
    // efficiency that does not depend on how busy the machine is: node CPU spent per turn
    'node CPU ms/turn': result.nodeCpuMs === null || result.turns === 0 ? 'n/a' : (result.nodeCpuMs / result.turns).toFixed(2),
    turns: result.turns,
    sessions: result.sessions,
    errors: result.errors,
  };
}

const single = await runWith(1);
const three = await runWith(3);
const rows = [summarize(single), summarize(three)];
process.stdout.write(
  `\nViva cluster benchmark: ${candidates} concurrent candidates, ${TURNS_PER_SESSION} turns per session, ` +
    `${durationMs / 1000} s measured after ${warmupMs / 1000} s warm-up; machine: ${cpus().length} CPU(s), ` +
    `load generator, PostgreSQL and Redis on the same machine.\n\n`,
);
const columns = Object.keys(rows[0] ?? {}) as Array<keyof ReturnType<typeof summarize>>;
const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
const line = (cells: string[]) => cells.map((cell, index) => cell.padStart(widths[index] ?? 0)).join('  ');
process.stdout.write(`${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
for (const row of rows) process.stdout.write(`${line(columns.map((column) => String(row[column])))}\n`);
