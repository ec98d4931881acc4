import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { builtServerScript } from './built-server.js';
import type * as coordinatorModule from '../src/interview/interview-coordinator.js';
import type * as storeModule from '../src/storage/sqlite/sqlite-session-store.js';
import type * as engineModule from '../src/providers/builtin/index.js';
import type * as speechModule from '../src/providers/speech/no-speech-recognizer.js';
import type * as metricsModule from '../src/observability/metrics.js';
import type * as leasesModule from '../src/interview/session-leases.js';
import type * as messageJsonModule from '../packages/protocol/src/message-json.js';

/**
 * `npm run bench:turns -- DIR [DIR…]`: the turn path of each checkout (the coordinator, the built-in
 * interviewer, the SQLite store with its group commit, each message serialised as a connection would),
 * loaded from its `dist/` into this one process, with no sockets. The checkouts take turns, round after
 * round, and it prints each one's main-thread CPU per turn and the median of its ratios to the first
 * checkout's in the same rounds.
 *
 * `bench:compare` runs whole servers one after another. Over a minute this machine's speed drifted by half,
 * so a change of a few per cent drowned there (ten rounds could not tell a change of about 4 µs a turn).
 * Here the variants alternate every few tenths of a second in one process, and the median of the rounds'
 * ratios is what to read: single rounds still differ by a third. What this leaves out (sockets, ws, the
 * gateway, connection set-up, about two thirds of a server's turn) is what `bench:compare` is for.
 *
 * With `--long`, the rounds are 30-question interviews instead (see mainLong), for the late/early ratio.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '20' },
    sessions: { type: 'string', default: '600' },
    candidates: { type: 'string', default: '50' },
    long: { type: 'boolean', default: false },
  },
});

const TURNS_PER_SESSION = 5;
const ANSWERS = [
  'I led the migration of our payments service to an event-driven design; the hardest part was keeping exactly-once semantics while both paths ran.',
  'We measured first: the p99 came from lock contention, so we split the hot table, and the latency halved within a week.',
  'I would start with the users, write down what they need, then pick the simplest design that meets it, with a way to roll back.',
];

// the shapes of the modules loaded from each checkout's dist/: this checkout's, assumed alike in the others
type CoordinatorModule = typeof coordinatorModule;
type StoreModule = typeof storeModule;
type EngineModule = typeof engineModule;
type SpeechModule = typeof speechModule;
type MetricsModule = typeof metricsModule;
type LeasesModule = typeof leasesModule;
type MessageJsonModule = typeof messageJsonModule;

interface Checkout {
  root: string;
  /** Runs `sessions` sessions of five turns, `candidates` at a time; main-thread CPU µs per turn. */
  run(sessions: number): Promise<number>;
  /** `candidates` 30-question interviews at once, start to end: main-thread CPU µs and turns of each phase. */
  runLong(): Promise<LongPhases>;
  close(): Promise<void>;
}

/** Main-thread CPU (µs) and turns spent on questions 1-5 and 22-29 of 30-question interviews. */
interface LongPhases {
  early: { cpu: number; turns: number };
  late: { cpu: number; turns: number };
}

/** CPU µs per turn of a phase. */
function perTurn(phase: LongPhases['early']): number {
  return phase.cpu / phase.turns;
}

/** Adds a cohort's phases to the ones pooled so far. */
function pool(into: LongPhases, from: LongPhases): void {
  for (const name of ['early', 'late'] as const) {
    into[name].cpu += from[name].cpu;
    into[name].turns += from[name].turns;
  }
}

const LONG_QUESTIONS = 30;
const LONG_SETTINGS = { role: 'Backend engineer', level: 'senior', question_count: LONG_QUESTIONS, max_minutes: 240 };

/**
 * CPU time of this process's main thread (its task has the process's id), microseconds, from the
 * scheduler's own count in nanoseconds: /proc's stat counts in ticks of 10 ms, too coarse for rounds of a
 * tenth of a second, and process.cpuUsage() adds the store's checkpointer thread, whose work comes in bursts.
 */
function cpuMicroseconds(): number {
  const [runNanoseconds = '0'] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
  return Number(runNanoseconds) / 1000;
}

async function load<T>(root: string, path: string): Promise<T> {
  return (await import(pathToFileURL(join(root, path)).href)) as T;
}

let sessionCounter = 0;

async function openCheckout(root: string, candidates: number): Promise<Checkout> {
  builtServerScript(root, (line) => process.stderr.write(`${line}\n`));
  const { InterviewCoordinator } = await load<CoordinatorModule>(root, 'dist/src/interview/interview-coordinator.js');
  const { SqliteSessionStore } = await load<StoreModule>(root, 'dist/src/storage/sqlite/sqlite-session-store.js');
  const { createBuiltinEngine } = await load<EngineModule>(root, 'dist/src/providers/builtin/index.js');
  const { NoSpeechRecognizer } = await load<SpeechModule>(root, 'dist/src/providers/speech/no-speech-recognizer.js');
  const { Metrics } = await load<MetricsModule>(root, 'dist/src/observability/metrics.js');
  const { localSessionLeases } = await load<LeasesModule>(root, 'dist/src/interview/session-leases.js');
  const { messageJson } = await load<MessageJsonModule>(root, 'packages/protocol/dist/message-json.js');

  const directory = mkdtempSync(join(tmpdir(), 'viva-turn-path-'));
  // as the server opens it (composition root): the WAL checkpointed by a worker thread
  const store = SqliteSessionStore.open(join(directory, 'viva.db'), { checkpointInBackground: true });
  const engine = createBuiltinEngine();
  // a connection serialises every message it sends; the text is dropped here
  let serialisedCharacters = 0;
  const serialise = (message: { data: unknown }) => {
    serialisedCharacters += messageJson(message).length;
  };
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const coordinator = new InterviewCoordinator({
    store,
    planner: engine.planner,
    interviewer: engine.interviewer,
    evaluator: engine.evaluator,
    speech: new NoSpeechRecognizer(),
    sink: {
      deliver: async (_sessionId, message) => {
        serialise(message);
        return true;
      },
    },
    leases: localSessionLeases,
    metrics: new Metrics({ collectProcessMetrics: false }),
    maxQueuedInputs: 16,
    aiTimeoutMs: 30_000,
    sttTimeoutMs: 30_000,
    logger: quiet,
    reportUrl: (sessionId) => `/api/v1/interview/${sessionId}/report`,
  });

  const session = async () => {
    sessionCounter += 1;
    const sessionId = `turn-path-${sessionCounter}`;
    await coordinator.openSession(sessionId);
    for (let turn = 0; turn < TURNS_PER_SESSION; turn += 1) {
      const text = ANSWERS[turn % ANSWERS.length] ?? '';
      await coordinator.processInput(sessionId, { kind: 'text', id: `${sessionId}-${turn}`, text }, { reply: serialise });
    }
  };

  const runLong = async (): Promise<LongPhases> => {
    const phases: LongPhases = { early: { cpu: 0, turns: 0 }, late: { cpu: 0, turns: 0 } };
    const questionOf = new Map<string, number>();
    for (let index = 0; index < candidates; index += 1) {
      sessionCounter += 1;
      const sessionId = `turn-path-long-${sessionCounter}`;
      await coordinator.openSession(sessionId);
      await coordinator.configure(sessionId, { interview: LONG_SETTINGS });
      questionOf.set(sessionId, 0);
    }
    // every candidate takes its next turn together, so a step's CPU belongs to one phase of the interview
    for (let step = 0; questionOf.size > 0; step += 1) {
      const asked = [...questionOf.values()];
      const before = cpuMicroseconds();
      await Promise.all(
        [...questionOf.keys()].map(async (sessionId) => {
          const text = ANSWERS[step % ANSWERS.length] ?? '';
          const outcome = await coordinator.processInput(sessionId, { kind: 'text', id: `${sessionId}-${step}`, text }, { reply: serialise });
          if (outcome.messages.some((message) => message.type === 'interview_ended')) questionOf.delete(sessionId);
          else questionOf.set(sessionId, outcome.ai_response.interview.question_number);
        }),
      );
      const spent = cpuMicroseconds() - before;
      const question = asked.reduce((sum, number) => sum + number, 0) / asked.length;
      // the phases of the server bench's long interviews: the greeting and the closing turn are left out
      const phase = question >= 1 && question <= 5 ? phases.early : question >= LONG_QUESTIONS - 8 && question < LONG_QUESTIONS ? phases.late : undefined;
      if (phase !== undefined) {
        phase.cpu += spent;
        phase.turns += asked.length;
      }
    }
    return phases;
  };

  return {
    root,
    runLong,
    async run(sessions) {
      const before = cpuMicroseconds();
      let left = sessions;
      await Promise.all(
        Array.from({ length: candidates }, async () => {
          while (left > 0) {
            left -= 1;
            await session();
          }
        }),
      );
      if (serialisedCharacters === 0) throw new Error(`${root}: no message was serialised`);
      return (cpuMicroseconds() - before) / (sessions * TURNS_PER_SESSION);
    },
    async close() {
      await coordinator.drained();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * `--long`: each round, every checkout runs a cohort of `candidates` 30-question interviews (the server bench's
 * long-interview scenario, without sockets). Prints each checkout's early and late cost per turn and the
 * late/early ratio pooled over the rounds, the figure issue 15 holds to 1.2x.
 */
async function mainLong(checkouts: Checkout[], rounds: number): Promise<void> {
  for (let warmUp = 0; warmUp < 2; warmUp += 1) for (const checkout of checkouts) await checkout.runLong();
  const pooled = checkouts.map((): LongPhases => ({ early: { cpu: 0, turns: 0 }, late: { cpu: 0, turns: 0 } }));
  const ratios = checkouts.map((): number[] => []);
  for (let round = 1; round <= rounds; round += 1) {
    // alternate who goes first, so a drift of the machine's speed favours neither
    const order = [...checkouts.entries()];
    if (round % 2 === 0) order.reverse();
    for (const [index, checkout] of order) {
      const phases = await checkout.runLong();
      const sum = pooled[index];
      if (sum === undefined) continue;
      pool(sum, phases);
      ratios[index]?.push(perTurn(phases.late) / perTurn(phases.early));
    }
  }
  process.stdout.write(`turn path, ${Number(values.candidates)} interviews of ${LONG_QUESTIONS} questions a round, ${rounds} rounds; main-thread CPU µs per turn:\n`);
  for (const [index, checkout] of checkouts.entries()) {
    const sum = pooled[index];
    if (sum === undefined) continue;
    const early = perTurn(sum.early);
    const late = perTurn(sum.late);
    const each = (ratios[index] ?? []).map((ratio) => ratio.toFixed(2)).join(' ');
    process.stdout.write(`  ${checkout.root}\n    questions 1-5: ${early.toFixed(1)}  questions 22-29: ${late.toFixed(1)}  late/early ${(late / early).toFixed(3)}x (rounds: ${each})\n`);
  }
}

async function main(): Promise<void> {
  const roots = (positionals.length > 0 ? positionals : ['.']).map((root) => resolve(root));
  const rounds = Number(values.rounds);
  const checkouts: Checkout[] = [];
  for (const root of roots) checkouts.push(await openCheckout(root, Number(values.candidates)));
  if (values.long) await mainLong(checkouts, rounds);
  else await mainSessions(checkouts, rounds, Number(values.sessions));
  for (const checkout of checkouts) await checkout.close();
}

/** Five-turn sessions, as in the closed loop: each checkout's main-thread CPU per turn, and its median ratio to the first's. */
async function mainSessions(checkouts: Checkout[], rounds: number, sessions: number): Promise<void> {
  // first runs, not counted, warm each checkout's code up
  for (let warmUp = 0; warmUp < 3; warmUp += 1) for (const checkout of checkouts) await checkout.run(sessions);
  const perRound = checkouts.map((): number[] => []);
  for (let round = 1; round <= rounds; round += 1) {
    for (const [index, checkout] of checkouts.entries()) perRound[index]?.push(await checkout.run(sessions));
  }
  process.stdout.write(`turn path, ${sessions} sessions of ${TURNS_PER_SESSION} turns a round, ${rounds} rounds; main-thread CPU µs per turn:\n`);
  const first = perRound[0] ?? [];
  for (const [index, checkout] of checkouts.entries()) {
    const figures = perRound[index] ?? [];
    const ratios = figures.map((figure, round) => figure / (first[round] ?? figure)).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)] ?? 1;
    process.stdout.write(`  ${checkout.root}\n    ${figures.map((figure) => figure.toFixed(0)).join(' ')}  median ratio to the first: ${median.toFixed(3)}x\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`turn-path-compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
