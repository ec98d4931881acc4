import { statSync } from 'node:fs';
import WebSocket from 'ws';
import type { LongInterviewPhase, LongInterviewResult } from './bench-report.js';
import { epochNow } from './closed-loop-candidates.js';
import { mainThreadCpuSeconds, threadCpuSeconds } from './process-stats.js';
import { turnRequest } from './turn-protocols.js';

/**
 * Issue 15's "flat cost" scenario: `sessions` candidates at once each take a 30-question interview with
 * the built-in interviewer (follow-ups included), answering as fast as replies come. The server's CPU is
 * read while every candidate takes its first ten turns from the first question on, and again while
 * every candidate takes ten turns from the ninth question before the last, so the two figures are the
 * same work at the two ends of an interview.
 *
 * One such cohort gives phases of 0.1-0.2 s of CPU, and one collection of the heap inside a phase moved
 * the ratio of the same code between 0.83 and 1.27 (decision 0010). So cohorts run one after another on
 * the same server, and the ratio pools the measured cohorts' phases; each cohort's own ratio is kept to
 * show the spread. The first two cohorts warm the server up and are not counted: a fresh server's early
 * turns ran while the JIT was still compiling, at up to twice the main thread's steady cost and with
 * helper threads busy, which made a single cohort's late turns look cheap (0.5-0.9x) when in the steady
 * state they cost more. The database file is measured after the server closed it, for the bytes one turn
 * leaves on disk.
 */
export interface LongInterviewOptions {
  wsBase: string;
  serverPid: number;
  /** Candidates of a cohort, all interviewing at once. */
  sessions: number;
  /** Measured cohorts, after the two that warm the server up. @default 8 */
  cohorts?: number;
  /** Per reply, milliseconds. @default 20000 */
  turnTimeoutMs?: number;
}

/** The measured part, and a function to call with the database path once the server has stopped. */
export interface LongInterviewRun {
  sizeOnDisk(databasePath: string): void;
  result(): LongInterviewResult;
}

const QUESTIONS = 30;
// turns each candidate takes in a phase: about the first five questions with their follow-ups, and the
// last eight questions (late in an interview the built-in interviewer asks fewer follow-ups)
const PHASE_TURNS = 10;
/** The late phase starts at this many questions before the last. */
const LATE_FROM_END = 9;

interface Reply {
  questionNumber: number;
  totalQuestions: number;
  ended: boolean;
}

/** What a phase measured: the server's CPU and each turn's latency. */
interface PhaseSample {
  /** The question numbers its turns answered, lowest and highest. */
  questions: [number, number];
  cpuSeconds: number;
  mainThreadCpuSeconds: number;
  latencies: number[];
}

interface CohortSample {
  early: PhaseSample;
  late: PhaseSample;
  /** Every turn the cohort took, the greetings included. */
  turns: number;
}

export async function measureLongInterviews(options: LongInterviewOptions): Promise<LongInterviewRun> {
  const timeoutMs = options.turnTimeoutMs ?? 20_000;
  const cohorts = options.cohorts ?? 8;
  // the warm-up cohorts' turns are stored too: they count for the bytes per turn, not for the CPU
  const warmUp = [await runCohort(options, timeoutMs, -2), await runCohort(options, timeoutMs, -1)];
  const measured: CohortSample[] = [];
  for (let cohort = 1; cohort <= cohorts; cohort += 1) measured.push(await runCohort(options, timeoutMs, cohort));
  const turns = [...warmUp, ...measured].reduce((sum, cohort) => sum + cohort.turns, 0);
  const early = pooled(measured.map((cohort) => cohort.early));
  const late = pooled(measured.map((cohort) => cohort.late));
  const eachCohort = measured.map((cohort) => ({ early: pooled([cohort.early]), late: pooled([cohort.late]) }));
  let bytesPerTurn = 0;
  return {
    sizeOnDisk(databasePath) {
      bytesPerTurn = statSync(databasePath).size / Math.max(1, turns);
    },
    result: () => ({
      sessions: options.sessions,
      cohorts: measured.length,
      early,
      late,
      cpuRatio: ratio(late, early),
      cohortRatios: eachCohort.map((cohort) => ratio(cohort.late, cohort.early)),
      mainThreadRatio: ratio(late, early, 'mainThreadMicrosecondsPerTurn'),
      cohortMainThreadRatios: eachCohort.map((cohort) => ratio(cohort.late, cohort.early, 'mainThreadMicrosecondsPerTurn')),
      bytesPerTurn,
      turns,
    }),
  };
}

/** One cohort's interviews from the greeting to the end, with its early and late phases measured. */
async function runCohort(options: LongInterviewOptions, timeoutMs: number, cohort: number): Promise<CohortSample> {
  const candidates = await Promise.all(
    Array.from({ length: options.sessions }, (_, index) => LongCandidate.open(options.wsBase, `${cohort}-${index}`, timeoutMs)),
  );
  let turns = 0;
  /**
   * Each candidate answers until `until` holds, or `turnsEach` times when given (stopping early only at
   * the interview's last question). The questions the phase's turns answered label it.
   */
  const phase = async (until: (reply: Reply) => boolean, turnsEach = Number.POSITIVE_INFINITY): Promise<PhaseSample> => {
    const cpuBefore = threadCpuSeconds(options.serverPid);
    const mainBefore = mainThreadCpuSeconds(options.serverPid);
    const latencies: number[] = [];
    const questions: number[] = [];
    await Promise.all(
      candidates.map(async (candidate) => {
        for (let taken = 0; taken < turnsEach && !(candidate.lastReply && until(candidate.lastReply)); taken += 1) {
          if (candidate.lastReply?.ended) throw new Error(`interview ${candidate.name} ended before its phase was over`);
          questions.push(candidate.lastReply?.questionNumber ?? 0);
          latencies.push(await candidate.answer());
        }
      }),
    );
    turns += latencies.length;
    return {
      questions: [Math.min(...questions), Math.max(...questions)],
      cpuSeconds: threadCpuSeconds(options.serverPid) - cpuBefore,
      mainThreadCpuSeconds: mainThreadCpuSeconds(options.serverPid) - mainBefore,
      latencies,
    };
  };
  try {
    // the greeting turn (plan made, first question asked) is set-up, not an answer: it is left out
    await phase((reply) => reply.questionNumber >= 1);
    const total = Math.min(...candidates.map((candidate) => candidate.lastReply?.totalQuestions ?? QUESTIONS));
    const atLastQuestion = (reply: Reply) => reply.questionNumber >= total;
    // every candidate takes as many turns in each phase, so both phases run at the same concurrency: a phase
    // that ends with a few candidates still answering commits in small batches, which cost more per turn
    const early = await phase(atLastQuestion, PHASE_TURNS);
    await phase((reply) => reply.questionNumber > total - LATE_FROM_END);
    const late = await phase(atLastQuestion, PHASE_TURNS);
    // the rest (the last answers, the closing reply and the report) is not measured
    await phase((reply) => reply.ended);
    return { early, late, turns };
  } finally {
    for (const candidate of candidates) candidate.close();
  }
}

/** The phases of several cohorts as one: their CPU and turns added up. */
function pooled(samples: PhaseSample[]): LongInterviewPhase {
  const latencies = samples.flatMap((sample) => sample.latencies);
  const perTurn = (seconds: number) => (latencies.length > 0 ? (seconds * 1e6) / latencies.length : 0);
  return {
    questions: `${Math.min(...samples.map((sample) => sample.questions[0]))}-${Math.max(...samples.map((sample) => sample.questions[1]))}`,
    turns: latencies.length,
    cpuMicrosecondsPerTurn: perTurn(samples.reduce((sum, sample) => sum + sample.cpuSeconds, 0)),
    mainThreadMicrosecondsPerTurn: perTurn(samples.reduce((sum, sample) => sum + sample.mainThreadCpuSeconds, 0)),
    meanLatencyMs: latencies.length > 0 ? latencies.reduce((sum, value) => sum + value, 0) / latencies.length : 0,
  };
}

function ratio(
  late: LongInterviewPhase,
  early: LongInterviewPhase,
  figure: 'cpuMicrosecondsPerTurn' | 'mainThreadMicrosecondsPerTurn' = 'cpuMicrosecondsPerTurn',
): number {
  return early[figure] > 0 ? late[figure] / early[figure] : 0;
}

class LongCandidate {
  lastReply: Reply | undefined;
  #turn = 0;
  #waiting: ((frame: Record<string, unknown>) => void) | undefined;

  private constructor(
    readonly name: string,
    private readonly socket: WebSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      this.#waiting?.(frame);
    });
  }

  static async open(wsBase: string, name: string, timeoutMs: number): Promise<LongCandidate> {
    const socket = new WebSocket(`${wsBase}/api/v1/ws`, { perMessageDeflate: false });
    const candidate = new LongCandidate(name, socket, timeoutMs);
    await candidate.#until((frame) => frame.type === 'connected', 'connected');
    const settings = { type: 'connect', data: { interview: { role: 'Backend engineer', level: 'senior', question_count: QUESTIONS, max_minutes: 240 } } };
    socket.send(JSON.stringify(settings));
    await candidate.#until((frame) => frame.type === 'connected', 'connected after connect');
    return candidate;
  }

  /** Sends the next answer and resolves with the milliseconds until its `ai_response`. */
  async answer(): Promise<number> {
    const id = `long${this.name}-t${this.#turn}`;
    const sentAt = epochNow();
    this.socket.send(turnRequest(id, this.#turn));
    this.#turn += 1;
    let ended = false;
    const reply = await this.#until((frame) => {
      if (frame.type === 'interview_ended') ended = true;
      if (frame.type === 'error' && frame.reply_to === id) throw new Error(`turn ${id}: ${JSON.stringify(frame.data)}`);
      return frame.type === 'ai_response' && frame.reply_to === id;
    }, `reply to ${id}`);
    const latency = epochNow() - sentAt;
    const data = reply.data as { interview?: { state?: string; question_number?: number; total_questions?: number } };
    const interview = data.interview ?? {};
    this.lastReply = {
      questionNumber: interview.question_number ?? 0,
      totalQuestions: interview.total_questions ?? QUESTIONS,
      ended: ended || interview.state === 'completed',
    };
    return latency;
  }

  close(): void {
    this.socket.terminate();
  }

  #until(match: (frame: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`long interview ${this.name}: no ${what} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#waiting = (frame) => {
        let matched: boolean;
        try {
          matched = match(frame);
        } catch (error) {
          clearTimeout(timer);
          this.#waiting = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!matched) return;
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(frame);
      };
    });
  }
}
