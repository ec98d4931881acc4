import { statSync } from 'node:fs';
import WebSocket from 'ws';
import type { LongInterviewPhase, LongInterviewResult } from './bench-report.js';
import { epochNow } from './closed-loop-candidates.js';
import { threadCpuSeconds } from './process-stats.js';
import { turnRequest } from './turn-protocols.js';

/**
 * Issue 15's "flat cost" scenario: `sessions` candidates at once each take a 30-question interview with
 * the built-in interviewer (follow-ups included), answering as fast as replies come. The server's CPU is
 * read while every candidate answers the first three main questions, and again while every candidate
 * answers the last three, so the two figures are the same work at the two ends of an interview. The
 * database file is measured after the server closed it, for the bytes one turn leaves on disk.
 */
export interface LongInterviewOptions {
  wsBase: string;
  serverPid: number;
  sessions: number;
  /** Per reply, milliseconds. @default 20000 */
  turnTimeoutMs?: number;
}

/** The measured part, and a function to call with the database path once the server has stopped. */
export interface LongInterviewRun {
  sizeOnDisk(databasePath: string): void;
  result(): LongInterviewResult;
}

const QUESTIONS = 30;
// the first three and the last three main questions the candidates answer
const PHASE_QUESTIONS = 3;

interface Reply {
  questionNumber: number;
  totalQuestions: number;
  ended: boolean;
}

export async function measureLongInterviews(options: LongInterviewOptions): Promise<LongInterviewRun> {
  const timeoutMs = options.turnTimeoutMs ?? 20_000;
  const candidates = await Promise.all(Array.from({ length: options.sessions }, (_, index) => LongCandidate.open(options.wsBase, index, timeoutMs)));
  let turns = 0;
  const phase = async (label: string, until: (reply: Reply, candidate: LongCandidate) => boolean): Promise<LongInterviewPhase> => {
    const cpuBefore = threadCpuSeconds(options.serverPid);
    const latencies: number[] = [];
    await Promise.all(
      candidates.map(async (candidate) => {
        while (!candidate.lastReply || !until(candidate.lastReply, candidate)) {
          if (candidate.lastReply?.ended) throw new Error(`interview ${candidate.index} ended before ${label}`);
          latencies.push(await candidate.answer());
        }
      }),
    );
    const cpu = threadCpuSeconds(options.serverPid) - cpuBefore;
    turns += latencies.length;
    return {
      questions: label,
      turns: latencies.length,
      cpuMicrosecondsPerTurn: latencies.length > 0 ? (cpu * 1e6) / latencies.length : 0,
      meanLatencyMs: latencies.length > 0 ? latencies.reduce((sum, value) => sum + value, 0) / latencies.length : 0,
    };
  };
  try {
    // the greeting turn (plan made, first question asked) is set-up, not an answer: it is left out
    for (const candidate of candidates) if (!candidate.lastReply) await candidate.answer();
    const early = await phase(`1-${PHASE_QUESTIONS}`, (reply) => reply.questionNumber > PHASE_QUESTIONS);
    const total = Math.min(...candidates.map((candidate) => candidate.lastReply?.totalQuestions ?? QUESTIONS));
    const lateFrom = total - PHASE_QUESTIONS;
    await phase('middle', (reply) => reply.questionNumber >= lateFrom);
    const late = await phase(`${lateFrom}-${total - 1}`, (reply) => reply.questionNumber >= total);
    // the rest (the last answer, the closing reply and the report) is not measured
    await phase('end', (reply) => reply.ended);
    let bytesPerTurn = 0;
    return {
      sizeOnDisk(databasePath) {
        bytesPerTurn = statSync(databasePath).size / Math.max(1, turns + candidates.length);
      },
      result: () => ({
        sessions: candidates.length,
        early,
        late,
        cpuRatio: early.cpuMicrosecondsPerTurn > 0 ? late.cpuMicrosecondsPerTurn / early.cpuMicrosecondsPerTurn : 0,
        bytesPerTurn,
        turns: turns + candidates.length,
      }),
    };
  } finally {
    for (const candidate of candidates) candidate.close();
  }
}

class LongCandidate {
  lastReply: Reply | undefined;
  #turn = 0;
  #waiting: ((frame: Record<string, unknown>) => void) | undefined;

  private constructor(
    readonly index: number,
    private readonly socket: WebSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      this.#waiting?.(frame);
    });
  }

  static async open(wsBase: string, index: number, timeoutMs: number): Promise<LongCandidate> {
    const socket = new WebSocket(`${wsBase}/api/v1/ws`, { perMessageDeflate: false });
    const candidate = new LongCandidate(index, socket, timeoutMs);
    await candidate.#until((frame) => frame.type === 'connected', 'connected');
    const settings = { type: 'connect', data: { interview: { role: 'Backend engineer', level: 'senior', question_count: QUESTIONS, max_minutes: 240 } } };
    socket.send(JSON.stringify(settings));
    await candidate.#until((frame) => frame.type === 'connected', 'connected after connect');
    return candidate;
  }

  /** Sends the next answer and resolves with the milliseconds until its `ai_response`. */
  async answer(): Promise<number> {
    const id = `long${this.index}-t${this.#turn}`;
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
        reject(new Error(`long interview ${this.index}: no ${what} within ${this.timeoutMs} ms`));
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
