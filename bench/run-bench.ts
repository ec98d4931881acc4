import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { BENCH_HELP, readBenchOptions, type BenchOptions } from './bench-options.js';
import { TARGETS, TARGET_CONNECTIONS, bestRound, judgeTargets, loadRatios, ratio, times, type BenchReport, type IdleComparison, type LoadLevel } from './bench-report.js';
import { TURNS_PER_SESSION } from './closed-loop-candidates.js';
import { runClosedLoop } from './closed-loop-load.js';
import { summariseCpuProfile, type ProfileSummary, type ProfileWindow } from './cpu-profile-summary.js';
import { measureIdleConnections, type IdleResult } from './idle-connections.js';
import { idleTable, loadTable, targetsTable } from './results-table.js';
import { REPO_ROOT } from './raised-limit-spawn.js';
import { builtServerScript } from './built-server.js';
import { startServer, type ServerProcess } from './server-process.js';
import { PEER_MISSING, findPeerPython, withPeer } from './original-design-peer.js';
import { VIVA_BENCH_SETTINGS } from './viva-bench-settings.js';
import { measureLongInterviews } from './long-interview.js';
import { VOICE_PROVIDER_DELAYS, VOICE_TARGETS, runVoiceBench, type VoiceBenchResult } from './voice-bench.js';

/**
 * `npm run bench`: Viva against a raw `ws` echo server, each a child process started as a user starts
 * it, under the same closed-loop load and the same idle-connection test, printed side by side with
 * Viva/echo ratios and the issue's targets. Everything stays on 127.0.0.1 and ends by itself.
 */

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The open-files limit the server children got (read from /proc of the first one started). */
let serverOpenFilesLimit: number | undefined;

/** The python3 that runs the peer, found once; undefined skips it. */
let peerPython: string | undefined;

async function withViva<T>(
  label: string,
  nodeFlags: string[],
  use: (server: ServerProcess) => Promise<T>,
  afterStop?: (databasePath: string) => void,
): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'viva-bench-'));
  const server = await startServer({
    name: `viva (${label})`,
    script: builtServerScript(REPO_ROOT, log),
    environment: { ...VIVA_BENCH_SETTINGS, DATABASE_URL: join(directory, 'viva.db') },
    nodeFlags,
  });
  serverOpenFilesLimit ??= server.openFilesLimit;
  try {
    return await use(server);
  } finally {
    const code = await server.stop();
    if (code !== 0) log(`  viva exited with ${code}`);
    if (server.warnings() > 0) log(`  viva logged ${server.warnings()} warnings or errors; last output:\n${server.outputTail().slice(-2000)}`);
    afterStop?.(join(directory, 'viva.db'));
    rmSync(directory, { recursive: true, force: true });
  }
}

async function withEcho<T>(use: (server: ServerProcess) => Promise<T>, nodeFlags: string[] = []): Promise<T> {
  const server = await startServer({ name: 'echo', script: join(REPO_ROOT, 'bench/echo-server.ts'), environment: { HOST: '127.0.0.1', PORT: '0' }, nodeFlags });
  serverOpenFilesLimit ??= server.openFilesLimit;
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

async function withFloor<T>(use: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServer({
    name: 'protocol floor',
    script: join(REPO_ROOT, 'bench/protocol-floor-server.ts'),
    environment: { HOST: '127.0.0.1', PORT: '0' },
  });
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

async function measureLoadLevel(options: BenchOptions, connections: number, profileDirectory: string | undefined): Promise<LoadLevel> {
  const level: LoadLevel = { connections, errors: [], rounds: { echo: [], floor: [], viva: [], peer: [] } };
  const common = { connections, clientThreads: options.clientThreads, warmupMs: options.warmupMs, durationMs: options.durationMs };
  // alternating echo and Viva spreads a passing disturbance over both instead of one
  for (let round = 1; round <= options.rounds; round += 1) {
    const of = options.rounds > 1 ? ` (round ${round} of ${options.rounds})` : '';
    try {
      log(`load: ${connections} connections against echo${of}`);
      level.rounds.echo.push(await withEcho((server) => runClosedLoop({ ...common, target: { kind: 'echo', wsBase: server.wsBase }, serverPid: server.pid })));
    } catch (error) {
      level.errors.push(`echo: ${describe(error)}`);
    }
    try {
      log(`load: ${connections} connections against the protocol floor${of}`);
      level.rounds.floor.push(await withFloor((server) => runClosedLoop({ ...common, target: { kind: 'floor', wsBase: server.wsBase }, serverPid: server.pid })));
    } catch (error) {
      level.errors.push(`protocol floor: ${describe(error)}`);
    }
    const python = peerPython;
    if (python !== undefined) {
      try {
        log(`load: ${connections} connections against the original design (FastAPI peer)${of}`);
        level.rounds.peer.push(await withPeer(python, (server) => runClosedLoop({ ...common, target: { kind: 'peer', wsBase: server.wsBase }, serverPid: server.pid })));
      } catch (error) {
        level.errors.push(`peer: ${describe(error)}`);
      }
    }
    const profile = round === 1 ? profileDirectory : undefined;
    try {
      log(`load: ${connections} connections against viva${of}${profile ? ', CPU profile' : ''}`);
      const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
      let spawnedAt = 0;
      const result = await withViva(`${connections} connections`, flags, (server) => {
        spawnedAt = server.spawnedAt;
        return runClosedLoop({ ...common, target: { kind: 'viva', wsBase: server.wsBase }, serverPid: server.pid, metricsBase: server.httpBase });
      });
      level.rounds.viva.push(result);
      // only the measured window: start-up (loading every module) and the warm-up are left out
      if (profile) level.cpuProfile = summariseLargestProfile(profile, { fromMs: result.window.start - spawnedAt, toMs: result.window.end - spawnedAt });
    } catch (error) {
      level.errors.push(`viva: ${describe(error)}`);
    }
  }
  if (connections === TARGET_CONNECTIONS && options.coldMs > 0) {
    try {
      // no warm-up: the first seconds after the server said it listens, as after a restart
      log(`load: ${connections} connections against a freshly started viva, first ${options.coldMs / 1000} s`);
      level.vivaCold = await withViva('first seconds', [], (server) =>
        runClosedLoop({ ...common, warmupMs: 0, durationMs: options.coldMs, target: { kind: 'viva', wsBase: server.wsBase }, serverPid: server.pid, metricsBase: server.httpBase }),
      );
    } catch (error) {
      level.errors.push(`viva (first seconds): ${describe(error)}`);
    }
  }
  level.echo = bestRound(level.rounds.echo);
  level.floor = bestRound(level.rounds.floor);
  level.viva = bestRound(level.rounds.viva);
  level.peer = bestRound(level.rounds.peer);
  level.ratios = loadRatios(level.viva, level.echo);
  if (level.peer) level.peerRatios = loadRatios(level.viva, level.peer);
  level.floorRatios = loadRatios(level.floor, level.echo);
  return level;
}

/**
 * The Node servers of the idle measurement run with an inspector on a free loopback port, through which
 * the bench collects their garbage before each reading and reads their JavaScript memory (bench/inspector-gc.ts). Without it the same
 * code read 1.4-9.1 KiB per connection (5,000 open), depending on what the collector had left; with it,
 * 2.7-6.1 (5,000 open) and 4.6-4.9 (10,000, the default).
 */
const INSPECT_FOR_GC = '--inspect=127.0.0.1:0';

async function measureIdle(options: BenchOptions, runId: string): Promise<IdleComparison> {
  const idle: IdleComparison = { errors: [] };
  const common = { count: options.idleConnections, settleMs: options.settleMs };
  const run = async (name: 'echo' | 'viva' | 'peer', task: () => Promise<IdleResult>) => {
    try {
      log(`idle: ${options.idleConnections} connections against ${name}`);
      idle[name] = await task();
    } catch (error) {
      idle.errors.push(`${name}: ${describe(error)}`);
    }
  };
  await run('echo', () =>
    withEcho(
      (server) =>
        measureIdleConnections({
          ...common,
          serverPid: server.pid,
          collectGarbage: server.collectGarbage,
          javascriptBytes: server.javascriptBytes,
          urlBase: `${server.wsBase}/`,
          ready: 'open',
          idPrefix: `echo-${runId}`,
        }),
      [INSPECT_FOR_GC],
    ),
  );
  await run('viva', () =>
    withViva('idle', [INSPECT_FOR_GC], (server) =>
      measureIdleConnections({
        ...common,
        serverPid: server.pid,
        collectGarbage: server.collectGarbage,
        javascriptBytes: server.javascriptBytes,
        urlBase: `${server.wsBase}/api/v1/ws/`,
        ready: 'connected',
        idPrefix: `bench-${runId}`,
      }),
    ),
  );
  const python = peerPython;
  if (python !== undefined) {
    await run('peer', () =>
      withPeer(python, (server) =>
        measureIdleConnections({ ...common, serverPid: server.pid, urlBase: `${server.wsBase}/api/v1/ws/`, ready: 'connected', idPrefix: `peer-${runId}` }),
      ),
    );
  }
  idle.bytesPerConnectionRatio = ratio(idle.viva?.bytesPerConnection, idle.echo?.bytesPerConnection);
  return idle;
}

function summariseLargestProfile(directory: string, window: ProfileWindow): ProfileSummary | undefined {
  // a profile is written per thread; the main thread's is the big one
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(directory, name))
    .sort((left, right) => statSync(right).size - statSync(left).size);
  return files[0] ? summariseCpuProfile(files[0], 15, window) : undefined;
}

function printReport(report: BenchReport): void {
  const { options } = report;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Viva bench  ${report.startedAt}  node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel})`);
  out(`Viva settings: ${Object.entries(report.vivaSettings).map(([key, value]) => `${key}=${value}`).join(' ')}`);
  out('  (fresh SQLite file in a temp dir per server; HEARTBEAT_INTERVAL_MS and every other setting default)');
  out(`Servers: each a child process (Viva: node dist/src/main.js, built as npm start builds it; the others: node --import tsx), open-files limit ${report.serverOpenFilesLimit ?? 'unknown'}; one fresh server per measurement.`);
  if (existsSync(join(REPO_ROOT, '.env'))) out('Note: a .env file is present in the working directory; Viva reads settings the bench does not set from it.');
  if (report.load.length > 0) {
    out();
    out(
      `Closed loop: each candidate connects, takes ${TURNS_PER_SESSION} turns (text_input, waits for ai_response; echo: waits for the echo), closes, repeats.` +
        ` Warm-up ${options.warmupMs / 1000} s, measured ${options.durationMs / 1000} s` +
        (options.rounds > 1 ? `, best of ${options.rounds} alternating rounds` : '') +
        `; load generator: ${options.clientThreads} thread(s) in the bench process.`,
    );
    out('  floor = bench/protocol-floor-server.ts: a raw ws server answering with the frames the contract asks of a turn');
    out('  (connected, status, three deltas, ai_response), built from a template; no storage, no interviewer, no checks.');
    out('  floor/echo is the most any server keeping the contract could reach here; the rest of the gap is the server\'s.');
    out('  peer = bench/peers/original-design-peer.py: the design Viva replaces (FastAPI + uvicorn, Pydantic, sessions in a dict,');
    out('  canned questions, nothing stored); it answers status + ai_response. viva/peer is the ratio the issue asks about.');
    if (report.peerSkipped) out(`  ${report.peerSkipped}`);
    out(`  viva first s = a freshly started Viva, no warm-up: the first ${options.coldMs / 1000} s after it listens (warm-up figure).`);
    out(loadTable(report.load));
    for (const level of report.load) {
      const echo = level.echo;
      // a saturated load generator caps the echo figures, which makes every Viva/echo ratio look better than it is
      if (echo && echo.clientCpuPercent >= 80 * echo.clientThreads) {
        out(`  note: at ${level.connections} connections the load generator ran at ${echo.clientCpuPercent.toFixed(0)}% CPU against echo: echo's figures are a floor.`);
      }
    }
    out('  CPU% is of one core. srv CPU µs/turn = server CPU per answered turn (a fifth of a connection set-up included).');
    out('  main thread = the event loop alone (near 100% it is saturated and replies queue); the rest is helper threads (GC, JIT).');
    out("  loop max = the longest event-loop delay Viva's /metrics saw in the window (sampled every 10 ms): a stall every waiting turn shares.");
    out('  other CPU% = the rest of the machine during the window; high values mean the figures are disturbed.');
    out('  connect p50 = opening the socket to ready (Viva: `connected`), accept queue included: a busy Node server accepts');
    out('  one connection per turn of its event loop (decision 0011), so new candidates queue while it is saturated.');
    for (const level of report.load) if (level.cpuProfile) printProfile(level.connections, level.cpuProfile, out);
  }
  if (report.idle) {
    out();
    out(`Idle connections: ${options.idleConnections.toLocaleString('en')} per server (Viva: /api/v1/ws/<unique id>, each a new session, ready at \`connected\`).`);
    out(`  RSS KiB/conn = (RSS after - RSS before) / opened, each read after ${options.settleMs / 1000} s of settling`);
    out('  and, for echo and Viva, a full garbage collection asked through the inspector (the peer, CPython, frees as it goes).');
    out('  JS KiB/conn = the same for the JavaScript heap in use plus external memory (process.memoryUsage(), echo and Viva).');
    out('  per conn KiB = the larger of the two: RSS alone can read near zero when connections reuse pages kept from before.');
    out(idleTable(report.idle));
  }
  if (report.longInterview) {
    const long = report.longInterview;
    out();
    out(
      `Long interviews: cohorts of ${long.sessions} candidates at once, each a 30-question interview with follow-ups; two cohorts warm the server up, then ${long.cohorts} measured; ${long.turns} turns in all.`,
    );
    out('  Server CPU per turn in each phase (all candidates of a cohort in the same phase; connections stay open), cohorts pooled:');
    for (const phase of [long.early, long.late]) {
      out(
        `  questions ${phase.questions.padEnd(6)} ${String(phase.turns).padStart(5)} turns  ${phase.cpuMicrosecondsPerTurn.toFixed(0).padStart(5)} µs/turn (main thread ${phase.mainThreadMicrosecondsPerTurn.toFixed(0)})  mean latency ${phase.meanLatencyMs.toFixed(2)} ms`,
      );
    }
    out(`  each cohort's late/early: ${long.cohortRatios.map((value) => times(value)).join(', ')}`);
    out(`  main thread alone: ${times(long.mainThreadRatio)} pooled; each cohort ${long.cohortMainThreadRatios.map((value) => times(value)).join(', ')}`);
    out(`  late/early CPU per turn: ${times(long.cpuRatio)}; stored: ${long.bytesPerTurn.toFixed(0)} bytes per turn (database file after close / turns)`);
  }
  out();
  out('Targets (informational; they do not change the exit code):');
  out(targetsTable(report));
  const budget = throughputBudget(report);
  if (budget) out(budget);
}

/**
 * What the throughput target leaves the server on this machine: the load generator's CPU per turn is read
 * from the floor run (same frames as Viva, a server that does nothing), the rest of the cores are the
 * server's. Printed so the target's feasibility is measured, not argued.
 */
function throughputBudget(report: BenchReport): string | undefined {
  const level = report.load.find((candidate) => candidate.connections === TARGET_CONNECTIONS);
  const { echo, floor, viva } = level ?? {};
  if (!echo || !floor || floor.turnsPerSecond <= 0) return undefined;
  const targetRate = TARGETS.throughputRatio * echo.turnsPerSecond;
  const clientMicroseconds = ((floor.clientCpuPercent / 100) * 1e6) / floor.turnsPerSecond;
  const clientCores = (targetRate * clientMicroseconds) / 1e6;
  const serverBudget = ((report.machine.cpus - clientCores) * 1e6) / targetRate;
  return [
    `Budget at ${TARGETS.throughputRatio}x echo (${Math.round(targetRate).toLocaleString('en')} turns/s at ${TARGET_CONNECTIONS} connections on ${report.machine.cpus} CPUs):`,
    `  the load generator needs ~${clientMicroseconds.toFixed(0)} µs per turn (measured against the floor), ${clientCores.toFixed(2)} cores;`,
    `  that leaves the server at most ~${serverBudget.toFixed(0)} µs of CPU per turn. The floor uses ${floor.server.cpuMicrosecondsPerTurn.toFixed(0)} µs doing nothing` +
      (viva ? `; Viva uses ${viva.server.cpuMicrosecondsPerTurn.toFixed(0)} µs.` : '.'),
  ].join('\n');
}

function printProfile(connections: number, profile: ProfileSummary, out: (line?: string) => void): void {
  out();
  out(`CPU profile of Viva at ${connections} connections, measured window only (${profile.file}; ${(profile.totalMs / 1000).toFixed(1)} s of non-idle samples):`);
  out('  self time by package or file:');
  for (const entry of profile.places.slice(0, 10)) out(`  ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`);
  out('  self time by function:');
  for (const entry of profile.functions.slice(0, 15)) out(`  ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`);
}

function printVoice(voice: VoiceBenchResult): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const row = (name: string, summary: { p50: number; p90: number; p99: number; max: number }, target?: number) =>
    `  ${name.padEnd(44)} p50 ${summary.p50.toFixed(0).padStart(5)}  p90 ${summary.p90.toFixed(0).padStart(5)}  p99 ${summary.p99.toFixed(0).padStart(5)}  max ${summary.max.toFixed(0).padStart(5)} ms` +
    (target === undefined ? '' : `   target p99 < ${target}: ${summary.p99 < target ? 'met' : 'missed'}`);
  const delays = VOICE_PROVIDER_DELAYS;
  out();
  out(`Voice: ${voice.candidates} hands-free candidates for ${voice.durationMs / 1000} s, ${voice.turns} turns (${voice.bargeIns} barge-ins); fake providers: STT ${delays.sttMs} ms, first token ${delays.firstTokenMs} ms, first audio ${delays.ttsFirstAudioMs} ms.`);
  out(voice.inStep ? '  candidates started together: every turn ends at the same instant (worst case)' : '  candidates started spread over one utterance, as people do not all stop talking at once (--voice-in-step: together)');
  out(row('added by Viva (end of speech → first audio)', voice.addedMs, VOICE_TARGETS.addedP99Ms));
  out(row('  of which after the end of turn', voice.addedAfterEndOfTurnMs));
  out(row('    speech_stopped → transcription', voice.hopsMs.toTranscription));
  out(row('    transcription → first reply text', voice.hopsMs.toFirstText));
  out(row('    first reply text → first audio', voice.hopsMs.toFirstAudio));
  out(row('end of turn beyond silence_ms', voice.endOfTurnBeyondSilenceMs));
  out(row('barge-in reaction (onset → speech_started)', voice.bargeInReactionMs, VOICE_TARGETS.bargeInP99Ms));
  out(`  server CPU: ${voice.serverCpuMsPerAudioSecond.toFixed(1)} ms per second of streamed audio (${voice.audioSeconds.toFixed(0)} s streamed)`);
  out(row('the bench itself: chunks sent late', voice.chunkLateMs) + `; its event loop delay p99 ${voice.benchLoopDelayP99Ms.toFixed(0)} ms`);
  if (voice.serverLoopDelayMs) out(`  Viva's event loop delay over the window: p99 ${voice.serverLoopDelayMs.p99.toFixed(0)} ms, max ${voice.serverLoopDelayMs.max.toFixed(0)} ms`);
  out('  speech_started needs 80 ms of speech (4 of 6 frames of 20 ms), part of the barge-in reaction by design.');
  if (voice.errors.length > 0) out(`  errors: ${voice.errors.join('; ')}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  if (process.argv.includes('--attack')) {
    // its own scenario: normal candidates with and without adversarial senders (bench/attack-bench.ts)
    const { runAttackBench } = await import('./attack-bench.js');
    await runAttackBench({
      candidates: Number(process.env.BENCH_ATTACK_CANDIDATES ?? 10),
      phaseMs: Number(process.env.BENCH_ATTACK_PHASE_MS ?? 10_000),
      cpuProfile: process.argv.includes('--cpu-prof'),
    });
    return;
  }
  const options = readBenchOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    process.stdout.write(`${BENCH_HELP}\n`);
    return;
  }
  const startedAt = new Date();
  const runId = startedAt.toISOString().replace(/\D/g, '').slice(0, 14);
  if (options.peer) {
    peerPython = findPeerPython();
    if (peerPython === undefined) log(PEER_MISSING);
  }
  const profileLevel = options.connections.includes(TARGET_CONNECTIONS) ? TARGET_CONNECTIONS : options.connections[0];
  const load: LoadLevel[] = [];
  for (const connections of options.voiceOnly ? [] : options.connections) {
    const profileDirectory =
      options.cpuProfile && connections === profileLevel ? join(dirname(options.outputPath), 'profiles', runId) : undefined;
    if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
    load.push(await measureLoadLevel(options, connections, profileDirectory));
  }
  const idle = options.idleConnections > 0 && !options.voiceOnly ? await measureIdle(options, runId) : undefined;
  let longInterview: BenchReport['longInterview'];
  if (options.longInterviews > 0 && !options.voiceOnly) {
    try {
      log(`long interviews: ${options.longCohorts + 2} cohorts of ${options.longInterviews} 30-question interviews against viva`);
      let measure: ((databasePath: string) => void) | undefined;
      const result = await withViva(
        'long interviews',
        [],
        async (server) => {
          const measured = await measureLongInterviews({
            wsBase: server.wsBase,
            serverPid: server.pid,
            sessions: options.longInterviews,
            cohorts: options.longCohorts,
          });
          measure = measured.sizeOnDisk;
          return measured;
        },
        (databasePath) => measure?.(databasePath),
      );
      longInterview = result.result();
    } catch (error) {
      log(`long interviews failed: ${describe(error)}`);
    }
  }
  let voiceProfile: ProfileSummary | undefined;
  const voiceProfileDirectory = options.cpuProfile ? join(dirname(options.outputPath), 'profiles', `${runId}-voice`) : undefined;
  let voiceSpawnedAt = 0;
  const voice =
    options.voiceCandidates > 0
      ? await runVoiceBench(
          options.voiceCandidates,
          options.voiceDurationMs,
          log,
          (server) => {
            voiceSpawnedAt = server.spawnedAt;
          },
          voiceProfileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${voiceProfileDirectory}`] : [],
          options.voiceInStep,
        )
      : undefined;
  if (voice && voiceProfileDirectory) {
    voiceProfile = summariseLargestProfile(voiceProfileDirectory, { fromMs: voice.window.start - voiceSpawnedAt, toMs: voice.window.end - voiceSpawnedAt });
  }
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      platform: `${process.platform} ${process.arch}`,
      memoryMiB: Math.round(totalmem() / 1024 / 1024),
    },
    options,
    vivaSettings: VIVA_BENCH_SETTINGS,
    ...(serverOpenFilesLimit !== undefined ? { serverOpenFilesLimit } : {}),
    load,
    ...(idle ? { idle } : {}),
    ...(options.peer && peerPython === undefined ? { peerSkipped: PEER_MISSING } : {}),
    ...(longInterview ? { longInterview } : {}),
    ...(voice ? { voice } : {}),
    targets: judgeTargets(load, idle, longInterview),
  };
  printReport(report);
  if (voice) printVoice(voice);
  if (voiceProfile) printProfile(options.voiceCandidates, voiceProfile, (line = '') => process.stdout.write(`${line}\n`));
  mkdirSync(dirname(options.outputPath), { recursive: true });
  writeFileSync(options.outputPath, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nWrote ${options.outputPath}\n`);
  // a phase that could not be measured fails the run; missed targets do not
  const broken =
    load.some((level) => level.errors.length > 0) ||
    (idle?.errors.length ?? 0) > 0 ||
    (options.longInterviews > 0 && !options.voiceOnly && longInterview === undefined) ||
    (voice !== undefined && voice.turns === 0);
  if (broken) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${describe(error)}\n`);
  process.exitCode = 1;
});
