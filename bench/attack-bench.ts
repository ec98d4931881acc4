import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { flacPaddingFlood, mp4FreeBoxFlood, oggEmptyPageFlood } from '../test/helpers/crafted-audio.js';
import { summariseCpuProfile, type ProfileWindow } from './cpu-profile-summary.js';
import { summariseLatencies, type LatencySummary } from './latency-stats.js';
import { REPO_ROOT } from './raised-limit-spawn.js';
import { builtServerScript } from './built-server.js';
import { startServer, type ServerProcess } from './server-process.js';

/**
 * `npm run bench -- --attack`: normal candidates answering in a closed loop, first alone, then beside
 * adversarial senders (issue 10): crafted audio (an MP4 `moov` of empty boxes, Ogg of empty pages, FLAC
 * of empty padding), deeply nested JSON `context`, message floods, and 10,000-digit answers whose
 * provisional report is fetched over and over. It prints the normal candidates' latency and the worst
 * event-loop delay the server reported (`viva_nodejs_eventloop_lag_max_seconds` from /metrics, scraped
 * every 250 ms) for both phases. Target: p99 under attack within 2x of p99 without.
 */

const SETTINGS: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  MAX_CONNECTIONS_PER_IP: '20000',
  SESSIONS_PER_IP_PER_MINUTE: '1000000',
  HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
  LOG_LEVEL: 'error',
  SERVE_WEB_APP: 'false',
  ADMIN_TOKEN: 'bench-admin-token',
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface AttackOptions {
  candidates: number;
  phaseMs: number;
  /** Write CPU profiles of the server (main thread and workers) and print where each phase spent its time. */
  cpuProfile?: boolean;
}

interface PhaseResult {
  /** The measured part of the phase, epoch milliseconds. */
  window: { start: number; end: number };
  turns: LatencySummary & { count: number };
  worstLoopDelayMs: number;
  errors: Record<string, number>;
}

/** A WebSocket that hands out messages in order (parsed) and says when it closed. */
class Client {
  private readonly waiting: Array<(message: { type: string; data?: Record<string, unknown>; reply_to?: string }) => boolean> = [];
  closed = false;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; data?: Record<string, unknown>; reply_to?: string };
      const index = this.waiting.findIndex((take) => take(message));
      if (index !== -1) this.waiting.splice(index, 1);
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
      const client = new Client(socket);
      const timer = setTimeout(() => reject(new Error('connect timeout')), 30_000);
      client.waitFor((message) => message.type === 'connected').then(
        () => {
          clearTimeout(timer);
          resolve(client);
        },
        reject,
      );
      socket.once('error', reject);
    });
  }

  waitFor(
    match: (message: { type: string; data?: Record<string, unknown>; reply_to?: string }) => boolean,
    timeoutMs = 60_000,
  ): Promise<{ type: string; data?: Record<string, unknown>; reply_to?: string }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      this.waiting.push((message) => {
        if (!match(message)) return false;
        clearTimeout(timer);
        resolve(message);
        return true;
      });
    });
  }

  send(frame: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  close(): void {
    this.socket.close();
  }
}

/** One normal candidate: short text answers in a closed loop, a new session when the interview ends. */
async function normalCandidate(base: string, index: number, until: () => boolean, latencies: number[], errors: Record<string, number>): Promise<void> {
  let session = 0;
  while (!until()) {
    let client: Client;
    try {
      client = await Client.open(`${base}/api/v1/ws/bench-normal-${index}-${session}-${Date.now()}`);
    } catch {
      errors.connect = (errors.connect ?? 0) + 1;
      await sleep(100);
      continue;
    }
    session += 1;
    for (let turn = 0; turn < 4 && !until() && !client.closed; turn += 1) {
      const id = `t${turn}`;
      const started = performance.now();
      client.send(JSON.stringify({ type: 'text_input', id, data: { text: 'At my last job I cut our API latency by 40% by adding a cache.' } }));
      try {
        const answer = await client.waitFor((message) => message.reply_to === id && (message.type === 'ai_response' || message.type === 'error'));
        if (answer.type === 'error') {
          const code = String(answer.data?.code);
          errors[code] = (errors[code] ?? 0) + 1;
        } else {
          latencies.push(performance.now() - started);
        }
      } catch {
        errors.timeout = (errors.timeout ?? 0) + 1;
      }
    }
    client.close();
  }
}

/** The adversarial senders; each loops until `until()` says stop. */
function attackers(base: string, http: string, until: () => boolean): Array<Promise<void>> {
  const floods = [mp4FreeBoxFlood(2 * 1024 * 1024), oggEmptyPageFlood(2 * 1024 * 1024), flacPaddingFlood(2 * 1024 * 1024)].map((bytes, index) =>
    JSON.stringify({ type: 'audio_input', id: `flood-${index}`, data: { audio_data: bytes.toString('base64') } }),
  );
  // deep, but below the depth at which the unguarded schema refinement overflowed the stack (issue 10, item 1)
  const depth = 1_500;
  const deep = JSON.stringify({ type: 'text_input', id: 'deep', data: { text: 'hi', context: JSON.parse(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`) } });
  const digits = JSON.stringify({ type: 'text_input', id: 'digits', data: { text: '9'.repeat(10_000) } });

  const only = process.env.BENCH_ATTACKERS?.split(',');
  const loop = async (name: string, body: () => Promise<void>) => {
    if (only !== undefined && !only.some((wanted) => name.startsWith(wanted))) return;
    while (!until()) {
      try {
        await body();
      } catch {
        await sleep(100);
      }
    }
    log(`    attacker ${name} stopped`);
  };
  const crafted = (which: number) =>
    loop(`crafted-audio-${which}`, async () => {
      const client = await Client.open(`${base}/api/v1/ws/bench-crafted-${which}-${Date.now()}`);
      while (!until() && !client.closed) {
        const frame = floods[which % floods.length] ?? '';
        client.send(frame);
        await Promise.race([client.waitFor((message) => message.type === 'error', 60_000), sleep(1_000)]).catch(() => undefined);
        await sleep(1_000);
      }
      client.close();
    });
  return [
    crafted(0),
    crafted(1),
    crafted(2),
    crafted(3),
    loop('deep-json', async () => {
      const client = await Client.open(`${base}/api/v1/ws/bench-deep-${Date.now()}`);
      while (!until() && !client.closed) {
        client.send(deep);
        await sleep(100);
      }
      client.close();
    }),
    loop('flood', async () => {
      const client = await Client.open(`${base}/api/v1/ws/bench-flood-${Date.now()}`);
      while (!until() && !client.closed) {
        for (let index = 0; index < 50; index += 1) client.send('{"type":"ping"}');
        await sleep(50);
      }
      client.close();
    }),
    loop('digits-and-report', async () => {
      const id = `bench-digits-${Date.now()}`;
      const client = await Client.open(`${base}/api/v1/ws/${id}`);
      for (let turn = 0; turn < 18 && !until() && !client.closed; turn += 1) {
        client.send(digits);
        await client.waitFor((message) => message.reply_to === 'digits' && (message.type === 'ai_response' || message.type === 'error')).catch(() => undefined);
        await fetch(`${http}/api/v1/interview/${id}/report`).then((response) => response.arrayBuffer()).catch(() => undefined);
      }
      while (!until() && !client.closed) {
        await fetch(`${http}/api/v1/interview/${id}/report`).then((response) => response.arrayBuffer()).catch(() => undefined);
      }
      client.close();
    }),
  ];
}

/** Scrapes the server's worst event-loop delay every 250 ms (prom-client resets its histogram on each read). */
async function watchLoopDelay(http: string, until: () => boolean, stopAt: () => number): Promise<number> {
  let worst = 0;
  // the first scrape only resets the server's histogram (its value covers the time before the window)
  let first = true;
  while (!until()) {
    const started = performance.now();
    try {
      const text = await (await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(Math.max(1, stopAt() - Date.now())) })).text();
      const match = /^viva_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
      if (match?.[1] !== undefined && !first) worst = Math.max(worst, Number(match[1]) * 1000);
    } catch {
      // no answer before the phase ended: the wait below is still a lower bound on the server's stall
    }
    // a server that cannot answer a scrape for a while was stalled at least that long
    worst = Math.max(worst, performance.now() - started);
    first = false;
    await sleep(250);
  }
  return worst;
}

async function phase(server: ServerProcess, options: AttackOptions, attack: boolean): Promise<PhaseResult> {
  const base = `ws://127.0.0.1:${server.port}`;
  const http = server.httpBase;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const warmUpEnd = Date.now() + 1_000;
  const end = warmUpEnd + options.phaseMs;
  const until = () => Date.now() >= end;
  const attacking = attack ? attackers(base, http, until) : [];
  await sleep(attack ? 1_000 : 0);
  const measuredLatencies: number[] = [];
  const candidates = Array.from({ length: options.candidates }, (_, index) => normalCandidate(base, index, until, attack ? measuredLatencies : latencies, errors));
  const worstLoopDelayMs = await watchLoopDelay(http, until, () => end);
  await Promise.all(candidates);
  await Promise.all(attacking);
  const samples = attack ? measuredLatencies : latencies;
  return { window: { start: warmUpEnd, end }, turns: { ...summariseLatencies(samples), count: samples.length }, worstLoopDelayMs, errors };
}

export async function runAttackBench(options: AttackOptions): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'viva-attack-bench-'));
  // kept after the run, as run-bench keeps its own, for a closer look (bench/cpu-profile-summary.ts FILE)
  const profiles = join(REPO_ROOT, 'bench/results/profiles', `attack-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`);
  const server = await startServer({
    nodeFlags: options.cpuProfile === true ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [],
    name: 'viva (attack)',
    // BENCH_ATTACK_SERVER: another checkout's root, to measure code from before a change
    script: builtServerScript(process.env.BENCH_ATTACK_SERVER ?? REPO_ROOT, log),
    environment: { ...SETTINGS, RATE_LIMIT_MESSAGES_PER_S: '20', DATABASE_URL: join(directory, 'viva.db') },
  });
  try {
    log(`attack bench: ${options.candidates} normal candidates, ${options.phaseMs} ms per phase`);
    log('  phase 1: normal candidates alone');
    const quiet = await phase(server, options, false);
    log('  phase 2: the same beside crafted audio, deep JSON, a flood and 10,000-digit answers with report polling');
    const attacked = await phase(server, options, true);
    const row = (name: string, result: PhaseResult) =>
      `| ${name} | ${result.turns.count} | ${result.turns.p50.toFixed(1)} | ${result.turns.p99.toFixed(1)} | ${result.turns.max.toFixed(1)} | ${result.worstLoopDelayMs.toFixed(1)} | ${JSON.stringify(result.errors)} |`;
    // no turn answered under attack is the worst outcome, not a ratio of zero
    const ratio = quiet.turns.p99 > 0 && attacked.turns.count > 0 ? attacked.turns.p99 / quiet.turns.p99 : Number.POSITIVE_INFINITY;
    process.stdout.write(
      [
        '',
        '| phase | turns | p50 ms | p99 ms | max ms | worst event-loop delay ms | errors seen by normal candidates |',
        '|---|---|---|---|---|---|---|',
        row('without attack', quiet),
        row('under attack', attacked),
        '',
        `p99 under attack / p99 without: ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'no turn answered under attack'} (target: at most 2x) ${ratio <= 2 ? 'MET' : 'NOT MET'}`,
        '',
      ].join('\n'),
    );
    if (options.cpuProfile === true) {
      // profiles are written when the server exits
      await server.stop();
      const relative = (result: PhaseResult): ProfileWindow => ({ fromMs: result.window.start - server.spawnedAt, toMs: result.window.end - server.spawnedAt });
      log(`  CPU profiles in ${profiles}; phases from the main thread's start: ${[quiet, attacked].map((result) => `${result.window.start - server.spawnedAt}-${result.window.end - server.spawnedAt} ms`).join(', ')}`);
      printProfiles(profiles, [
        ['without attack', relative(quiet)],
        ['under attack', relative(attacked)],
      ]);
    }
  } finally {
    await server.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Self time per phase, for each thread of the server (the largest profile is the main thread's). Windows
 * are relative to the main thread's start; a worker's profile begins when the worker does (all threads
 * share one monotonic clock), so its window is shifted by the difference.
 */
function printProfiles(directory: string, phases: Array<[string, ProfileWindow]>): void {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(directory, name))
    .sort((left, right) => statSync(right).size - statSync(left).size);
  const startMs = (file: string) => ((JSON.parse(readFileSync(file, 'utf8')) as { startTime: number }).startTime ?? 0) / 1000;
  const mainStart = files[0] === undefined ? 0 : startMs(files[0]);
  const out = (line = '') => process.stdout.write(`${line}\n`);
  for (const [name, window] of phases) {
    files.forEach((file, index) => {
      const shift = startMs(file) - mainStart;
      const summary = summariseCpuProfile(file, 12, { fromMs: window.fromMs - shift, toMs: window.toMs - shift });
      if (summary.totalMs < 50) return;
      out(`CPU ${name}, ${index === 0 ? 'main thread' : `thread ${index}`}: ${(summary.totalMs / 1000).toFixed(2)} s busy in ${((window.toMs - window.fromMs) / 1000).toFixed(0)} s`);
      for (const entry of summary.places.slice(0, 8)) out(`  ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`);
      out('  by function:');
      for (const entry of summary.functions.slice(0, 12)) out(`  ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`);
      out();
    });
  }
}
