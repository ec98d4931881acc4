import { Worker } from 'node:worker_threads';
import { epochNow, type CandidatesOutcome, type CandidatesSpec } from './closed-loop-candidates.js';
import { summariseLatencies, type LatencySummary } from './latency-stats.js';
import { cpuSeconds, machineBusySeconds, mainThreadCpuSeconds, residentBytes } from './process-stats.js';
import { serverLoopDelay, type LoopDelay } from './server-loop-delay.js';

export interface ClosedLoopOptions {
  target: CandidatesSpec['target'];
  /** Concurrent simulated candidates, shared out over `clientThreads`. */
  connections: number;
  clientThreads: number;
  warmupMs: number;
  durationMs: number;
  /** The server child whose RSS and CPU are read. */
  serverPid: number;
  /** Viva's HTTP base: its /metrics gives the event loop's delay over the window (server.loopDelayMs). */
  metricsBase?: string;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /** @default 10000 */
  turnTimeoutMs?: number;
}

export interface ClosedLoopResult {
  connections: number;
  clientThreads: number;
  measuredMs: number;
  /** The measured window, epoch milliseconds. */
  window: { start: number; end: number };
  /** Turns answered inside the measured window. */
  turns: number;
  turnsPerSecond: number;
  /** Sessions that became ready inside the measured window. */
  sessionsPerSecond: number;
  latencyMs: LatencySummary;
  /** From opening the socket to ready, sessions ready inside the window (see CandidatesOutcome). */
  connectMs: LatencySummary;
  /** Failures by kind (client timeouts, server `error` codes), over the whole run including warm-up. */
  failures: Record<string, number>;
  server: {
    rssStartBytes: number;
    rssEndBytes: number;
    rssPeakBytes: number;
    /** 100 = one core. */
    cpuPercent: number;
    /**
     * Server CPU per answered turn, microseconds (connection set-up included, a fifth per turn): the
     * figure least moved by other load on the machine.
     */
    cpuMicrosecondsPerTurn: number;
    /** The main thread's share (the event loop), 100 = one core: near 100 it is saturated. */
    mainThreadCpuPercent: number;
    /** The main thread's CPU per answered turn, microseconds; the rest is the helper threads (GC, JIT, checkpoints). */
    mainThreadMicrosecondsPerTurn: number;
    /** Viva's event-loop delay over the window, from its /metrics (see server-loop-delay.ts). */
    loopDelayMs?: LoopDelay | undefined;
  };
  /** CPU of the bench process (all its client threads), 100 = one core. */
  clientCpuPercent: number;
  /** CPU used by everything else on the machine during the window (100 = one core). */
  otherCpuPercent: number;
}

const RSS_SAMPLE_MS = 250;
// how long before the window the server's /metrics is read, to start its event-loop histogram afresh
const METRICS_LEAD_MS = 300;
// time for the threads to load their modules before the warm-up starts counting
const THREAD_START_MS = 1_000;
// past the window, every candidate ends within one connect, turn and close timeout
const WORKER_GRACE_MS = 30_000;

/**
 * Runs the closed loop (see closed-loop-candidates.ts) in worker threads, so a load generator that needs
 * more than one core can have it, and meters the server and the machine over the measured window.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const windowStart = epochNow() + THREAD_START_MS + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const threads = Math.max(1, Math.min(options.clientThreads, options.connections));
  const specs: CandidatesSpec[] = [];
  let firstIndex = 0;
  for (let thread = 0; thread < threads; thread += 1) {
    const connections = Math.floor(options.connections / threads) + (thread < options.connections % threads ? 1 : 0);
    specs.push({
      target: options.target,
      connections,
      firstIndex,
      windowStart,
      windowEnd,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      turnTimeoutMs: options.turnTimeoutMs ?? 10_000,
    });
    firstIndex += connections;
  }
  const meter = meterWindow(options.serverPid, windowStart, windowEnd, options.metricsBase);
  // the meter is awaited even when a thread fails, so it never outlives the server it reads
  const [threadResults, usage] = await Promise.all([
    Promise.allSettled(specs.map((spec) => runThread(spec, windowEnd + WORKER_GRACE_MS))),
    meter.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
  ]);
  const outcomes: CandidatesOutcome[] = [];
  for (const result of threadResults) {
    if (result.status === 'rejected') throw result.reason;
    outcomes.push(result.value);
  }
  if (usage instanceof Error) throw new Error(`could not read the server's figures (did it exit?): ${usage.message}`);
  const latencies = outcomes.flatMap((outcome) => outcome.latencies);
  const failures: Record<string, number> = {};
  for (const outcome of outcomes) for (const [kind, count] of Object.entries(outcome.failures)) failures[kind] = (failures[kind] ?? 0) + count;
  const seconds = options.durationMs / 1000;
  const perTurn = (cpuPercent: number) => (latencies.length > 0 ? ((cpuPercent / 100) * seconds * 1e6) / latencies.length : 0);
  return {
    connections: options.connections,
    clientThreads: threads,
    measuredMs: options.durationMs,
    window: { start: windowStart, end: windowEnd },
    turns: latencies.length,
    turnsPerSecond: latencies.length / seconds,
    sessionsPerSecond: outcomes.reduce((sum, outcome) => sum + outcome.sessionsInWindow, 0) / seconds,
    latencyMs: summariseLatencies(latencies),
    connectMs: summariseLatencies(outcomes.flatMap((outcome) => outcome.connectLatencies)),
    failures,
    ...usage,
    server: {
      ...usage.server,
      cpuMicrosecondsPerTurn: perTurn(usage.server.cpuPercent),
      mainThreadMicrosecondsPerTurn: perTurn(usage.server.mainThreadCpuPercent),
    },
  };
}

// worker threads do not inherit tsx's loader: each registers it before importing the TypeScript entry
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./load-worker.ts', import.meta.url).href)}); })`;

function runThread(spec: CandidatesSpec, deadline: number): Promise<CandidatesOutcome> {
  const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: spec });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('a client thread did not finish in time'));
    }, deadline - epochNow());
    worker.once('message', (outcome: CandidatesOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a client thread exited with ${code} before reporting`));
    });
  });
}

interface Usage {
  server: Omit<ClosedLoopResult['server'], 'cpuMicrosecondsPerTurn' | 'mainThreadMicrosecondsPerTurn'>;
  clientCpuPercent: number;
  otherCpuPercent: number;
}

/**
 * Reads server, client and machine CPU and server RSS at the window's edges, and RSS every 250 ms within it;
 * with `metricsBase`, Viva's event-loop delay over the window too.
 */
async function meterWindow(pid: number, windowStart: number, windowEnd: number, metricsBase: string | undefined): Promise<Usage> {
  if (metricsBase !== undefined) {
    // a reading just before the window empties the server's histogram of what the warm-up left in it
    await pause(windowStart - METRICS_LEAD_MS - epochNow());
    await serverLoopDelay(metricsBase, METRICS_LEAD_MS);
  }
  await pause(windowStart - epochNow());
  const serverCpuAtStart = cpuSeconds(pid);
  const mainThreadAtStart = mainThreadCpuSeconds(pid);
  const clientCpuAtStart = process.cpuUsage();
  const machineAtStart = machineBusySeconds();
  const rssStartBytes = residentBytes(pid);
  const openedAt = epochNow();
  let rssPeakBytes = rssStartBytes;
  const sampler = setInterval(() => {
    rssPeakBytes = Math.max(rssPeakBytes, residentBytes(pid));
  }, RSS_SAMPLE_MS);
  await pause(windowEnd - epochNow());
  clearInterval(sampler);
  const seconds = (epochNow() - openedAt) / 1000;
  const client = process.cpuUsage(clientCpuAtStart);
  const rssEndBytes = residentBytes(pid);
  const serverCpuPercent = ((cpuSeconds(pid) - serverCpuAtStart) / seconds) * 100;
  const mainThreadCpuPercent = ((mainThreadCpuSeconds(pid) - mainThreadAtStart) / seconds) * 100;
  const clientCpuPercent = ((client.user + client.system) / 1e6 / seconds) * 100;
  const machinePercent = ((machineBusySeconds() - machineAtStart) / seconds) * 100;
  const loopDelayMs = metricsBase === undefined ? undefined : await serverLoopDelay(metricsBase);
  return {
    server: { rssStartBytes, rssEndBytes, rssPeakBytes: Math.max(rssPeakBytes, rssEndBytes), cpuPercent: serverCpuPercent, mainThreadCpuPercent, loopDelayMs },
    clientCpuPercent,
    otherCpuPercent: Math.max(0, machinePercent - serverCpuPercent - clientCpuPercent),
  };
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));
}
