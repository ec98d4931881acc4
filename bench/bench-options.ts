import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

/** What one `npm run bench` does; every figure is bounded so a run always ends by itself. */
export interface BenchOptions {
  /** Concurrent candidates of each closed-loop level. */
  connections: number[];
  /** Load before the measured window, milliseconds. */
  warmupMs: number;
  /** The measured window of each level, milliseconds. */
  durationMs: number;
  /** Idle connections opened to each server; 0 skips the idle test. */
  idleConnections: number;
  /**
   * Rounds per level, echo and Viva alternating; the best round of each is reported (the least disturbed
   * by whatever else runs on the machine). @default 1
   */
  rounds: number;
  /** Worker threads of the load generator (the candidates are shared out over them). */
  clientThreads: number;
  /** How long RSS is left to settle before it is read, milliseconds. */
  settleMs: number;
  /** Profile the Viva child at the target level (50 connections, or the first level) with --cpu-prof. */
  cpuProfile: boolean;
  /** Run the original design (bench/peers/) beside echo and Viva when python3 has FastAPI. @default true */
  peer: boolean;
  /** A freshly started Viva measured without warm-up for this long (0 skips it), milliseconds. */
  coldMs: number;
  /**
   * Candidates of a cohort of the 30-question interview scenario (0 skips it). 40 by default; with 20 the
   * late/early ratio of the same code ranged 0.9-1.6, one heap collection in a phase of 50 ms of CPU being
   * enough to move it (decision 0010).
   */
  longInterviews: number;
  /**
   * Measured cohorts of the scenario, one after another after two warm-up cohorts; their phases are pooled.
   * 8 by default: a single cohort's ratio of the same code ranged 0.76-1.65, so three pooled still read
   * 1.0-1.3 from run to run, and eight 1.05-1.18 in four runs (decision 0011). A cohort takes about a second.
   */
  longCohorts: number;
  quick: boolean;
  outputPath: string;
  /** Hands-free voice candidates of the voice scenario; 0 skips it. */
  voiceCandidates: number;
  /** The voice scenario's measured time, milliseconds. */
  voiceDurationMs: number;
  /** Run only the voice scenario. */
  voiceOnly: boolean;
  /** Start every voice candidate at once, so their ends of turn coincide (the worst case). */
  voiceInStep: boolean;
}

const LIMITS = {
  connections: { min: 1, max: 2_000 },
  warmupMs: { min: 0, max: 120_000 },
  durationMs: { min: 500, max: 600_000 },
  idleConnections: { min: 0, max: 50_000 },
  rounds: { min: 1, max: 10 },
  clientThreads: { min: 1, max: 32 },
  coldMs: { min: 0, max: 60_000 },
  longInterviews: { min: 0, max: 500 },
  longCohorts: { min: 1, max: 20 },
} as const;

const HELP = `npm run bench -- [options]
  --quick                     short run: 50 connections, 1 s warm-up, 3 s measured, 2,000 idle connections
  --connections 10,50,200     closed-loop levels (env BENCH_CONNECTIONS)
  --warmup-ms 2000            warm-up per level (env BENCH_WARMUP_MS)
  --duration-ms 10000         measured window per level (env BENCH_DURATION_MS)
  --rounds 1                  rounds per level, echo and Viva alternating; the best of each is shown (env BENCH_ROUNDS)
  --client-threads N          load-generator threads; default 1 on 2 CPUs or fewer, else half the CPUs up to 4 (env BENCH_CLIENT_THREADS)
  --idle-connections 10000    idle connections per server, 0 to skip (env BENCH_IDLE_CONNECTIONS)
  --cpu-prof                  write a CPU profile of the Viva child at 50 connections and summarise it
  --no-peer                   skip the original design in FastAPI (bench/peers/; run only when python3 has fastapi and uvicorn)
  --cold-ms 3000              a freshly started Viva without warm-up, its first seconds at 50 connections; 0 skips (env BENCH_COLD_MS)
  --long-interviews 40        candidates of the 30-question interview scenario (late vs early turns); 0 skips (env BENCH_LONG_INTERVIEWS)
  --long-cohorts 8            cohorts of them measured one after another, after two that warm the server up (env BENCH_LONG_COHORTS)
  --voice-candidates 50       hands-free voice candidates of the voice scenario, 0 to skip (env BENCH_VOICE_CANDIDATES)
  --voice-duration-ms 20000   how long the voice candidates talk (env BENCH_VOICE_DURATION_MS)
  --voice-only                run only the voice scenario
  --voice-in-step             start the voice candidates together, so all their turns end at once (worst case);
                              by default their starts are spread over one utterance
  --output bench/results/latest.json
  --attack                    instead: normal candidates alone, then beside adversarial senders (crafted audio,
                              deep JSON, a flood, 10,000-digit answers); p99 and the server's worst event-loop
                              delay for each (env BENCH_ATTACK_CANDIDATES 10, BENCH_ATTACK_PHASE_MS 10000; BENCH_ATTACKERS
                              picks attackers by name; with --cpu-prof, each server thread's CPU per phase)`;

/** Reads flags, then BENCH_* environment variables, then the defaults (full or --quick). */
export function readBenchOptions(argv: string[], environment: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      connections: { type: 'string' },
      'warmup-ms': { type: 'string' },
      'duration-ms': { type: 'string' },
      'idle-connections': { type: 'string' },
      rounds: { type: 'string' },
      'client-threads': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'no-peer': { type: 'boolean', default: false },
      'cold-ms': { type: 'string' },
      'long-interviews': { type: 'string' },
      'long-cohorts': { type: 'string' },
      'voice-candidates': { type: 'string' },
      'voice-duration-ms': { type: 'string' },
      'voice-only': { type: 'boolean', default: false },
      'voice-in-step': { type: 'boolean', default: false },
      output: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const connectionsText = values.connections ?? environment.BENCH_CONNECTIONS ?? (quick ? '50' : '10,50,200');
  return {
    connections: connectionsText.split(',').map((item) => boundedInteger('connections', item.trim(), LIMITS.connections)),
    warmupMs: boundedInteger('warmup-ms', values['warmup-ms'] ?? environment.BENCH_WARMUP_MS ?? (quick ? '1000' : '2000'), LIMITS.warmupMs),
    durationMs: boundedInteger('duration-ms', values['duration-ms'] ?? environment.BENCH_DURATION_MS ?? (quick ? '3000' : '10000'), LIMITS.durationMs),
    idleConnections: boundedInteger(
      'idle-connections',
      values['idle-connections'] ?? environment.BENCH_IDLE_CONNECTIONS ?? (quick ? '2000' : '10000'),
      LIMITS.idleConnections,
    ),
    rounds: boundedInteger('rounds', values.rounds ?? environment.BENCH_ROUNDS ?? '1', LIMITS.rounds),
    clientThreads: boundedInteger(
      'client-threads',
      values['client-threads'] ?? environment.BENCH_CLIENT_THREADS ?? String(defaultClientThreads()),
      LIMITS.clientThreads,
    ),
    // V8 collects an idle heap about 8 s after allocation stops (its memory reducer): reading sooner counts
    // the garbage of opening the connections, which is gone a few seconds later (decision 0010)
    settleMs: quick ? 1_000 : 12_000,
    cpuProfile: values['cpu-prof'] === true,
    peer: values['no-peer'] !== true,
    coldMs: boundedInteger('cold-ms', values['cold-ms'] ?? environment.BENCH_COLD_MS ?? (quick ? '2000' : '3000'), LIMITS.coldMs),
    longInterviews: boundedInteger(
      'long-interviews',
      values['long-interviews'] ?? environment.BENCH_LONG_INTERVIEWS ?? (quick ? '10' : '40'),
      LIMITS.longInterviews,
    ),
    longCohorts: boundedInteger('long-cohorts', values['long-cohorts'] ?? environment.BENCH_LONG_COHORTS ?? (quick ? '1' : '8'), LIMITS.longCohorts),
    quick,
    outputPath: values.output ?? 'bench/results/latest.json',
    voiceCandidates: boundedInteger('voice-candidates', values['voice-candidates'] ?? environment.BENCH_VOICE_CANDIDATES ?? '50', { min: 0, max: 500 }),
    voiceDurationMs: boundedInteger(
      'voice-duration-ms',
      values['voice-duration-ms'] ?? environment.BENCH_VOICE_DURATION_MS ?? (quick ? '10000' : '20000'),
      { min: 2_000, max: 600_000 },
    ),
    voiceOnly: values['voice-only'] === true,
    voiceInStep: values['voice-in-step'] === true,
  };
}

export const BENCH_HELP = HELP;

/** The server needs a core of its own; the load generator gets what is left, up to 4 threads. */
function defaultClientThreads(): number {
  const count = cpus().length;
  return count <= 2 ? 1 : Math.min(4, Math.floor(count / 2));
}

function boundedInteger(name: string, text: string, range: { min: number; max: number }): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) {
    throw new Error(`--${name} must be an integer from ${range.min} to ${range.max}; got "${text}"`);
  }
  return value;
}
