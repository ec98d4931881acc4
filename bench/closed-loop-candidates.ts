import { performance } from 'node:perf_hooks';
import { CandidateFailure, CandidateSocket } from './candidate-socket.js';
import { echoProtocol, turnRequest, vivaProtocol, type TurnProtocol } from './turn-protocols.js';

/** What one client thread runs: plain data, so it can cross into a worker thread. */
export interface CandidatesSpec {
  /**
   * `floor` is bench/protocol-floor-server.ts: Viva's protocol, no work behind it; `peer` is the original
   * design in FastAPI (bench/peers/), which answers the same frames.
   */
  target: { kind: 'viva' | 'echo' | 'floor' | 'peer'; wsBase: string };
  connections: number;
  /** Index of this thread's first candidate, so turn ids stay unique across threads. */
  firstIndex: number;
  /** The measured window, epoch milliseconds (the same clock in every thread). */
  windowStart: number;
  windowEnd: number;
  connectTimeoutMs: number;
  turnTimeoutMs: number;
}

export interface CandidatesOutcome {
  /** Latencies of the turns answered inside the window, milliseconds. */
  latencies: number[];
  /** Failures by kind (client timeouts, server `error` codes), warm-up included. */
  failures: Record<string, number>;
  /** Sessions that became ready inside the window. */
  sessionsInWindow: number;
  /**
   * Of those, milliseconds from opening the socket to ready (Viva: its `connected`; echo: the handshake):
   * what a candidate waits to be connected, accept queue included.
   */
  connectLatencies: number[];
}

export const TURNS_PER_SESSION = 5;
const CLOSE_TIMEOUT_MS = 5_000;
const RETRY_PAUSE_MS = 50;
// a bound on count as well as time: no candidate opens more sessions than this in one level
const MAX_SESSIONS_PER_CANDIDATE = 1_000_000;

/** Epoch milliseconds with sub-millisecond resolution, comparable across threads. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export function protocolFor(target: CandidatesSpec['target']): TurnProtocol {
  return target.kind === 'echo' ? echoProtocol(target.wsBase) : vivaProtocol(target.wsBase);
}

/**
 * The closed loop of the issue: each candidate connects, takes five turns one after another (each waits
 * for its reply), closes, and starts again, until the window is over. Only turns that end inside the
 * window count; every wait has a timeout, so this ends at most a few timeouts after `windowEnd`.
 */
export async function runCandidates(spec: CandidatesSpec): Promise<CandidatesOutcome> {
  const protocol = protocolFor(spec.target);
  const latencies: number[] = [];
  const connectLatencies: number[] = [];
  const failures: Record<string, number> = {};
  let sessionsInWindow = 0;
  const fail = (kind: string) => {
    failures[kind] = (failures[kind] ?? 0) + 1;
  };
  const inWindow = (time: number) => time >= spec.windowStart && time < spec.windowEnd;

  const candidate = async (index: number) => {
    for (let session = 0; session < MAX_SESSIONS_PER_CANDIDATE && epochNow() < spec.windowEnd; session += 1) {
      let socket: CandidateSocket;
      const openedAt = epochNow();
      try {
        socket = await CandidateSocket.open(protocol, spec.connectTimeoutMs);
      } catch (error) {
        fail(error instanceof CandidateFailure ? error.kind : 'connect_failed');
        await pause(RETRY_PAUSE_MS);
        continue;
      }
      const readyAt = epochNow();
      if (inWindow(readyAt)) {
        sessionsInWindow += 1;
        connectLatencies.push(readyAt - openedAt);
      }
      let healthy = true;
      for (let turn = 0; turn < TURNS_PER_SESSION && healthy && epochNow() < spec.windowEnd; turn += 1) {
        const turnId = `c${index}-s${session}-t${turn}`;
        const sentAt = epochNow();
        try {
          const outcome = await socket.turn(turnId, turnRequest(turnId, turn), spec.turnTimeoutMs);
          const answeredAt = epochNow();
          if (outcome.kind === 'error') fail(outcome.code);
          else if (inWindow(answeredAt)) latencies.push(answeredAt - sentAt);
        } catch (error) {
          fail(error instanceof CandidateFailure ? error.kind : 'turn_failed');
          healthy = false;
        }
      }
      if (healthy) await socket.close(CLOSE_TIMEOUT_MS);
      else socket.terminate();
    }
  };

  await Promise.all(Array.from({ length: spec.connections }, (_, offset) => candidate(spec.firstIndex + offset)));
  return { latencies, failures, sessionsInWindow, connectLatencies };
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
