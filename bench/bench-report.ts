import type { VoiceBenchResult } from './voice-bench.js';
import type { BenchOptions } from './bench-options.js';
import type { ClosedLoopResult } from './closed-loop-load.js';
import type { ProfileSummary } from './cpu-profile-summary.js';
import type { IdleResult } from './idle-connections.js';

export interface LoadLevel {
  connections: number;
  /** The best round of each (highest turns/s); every round is in `rounds`. */
  echo?: ClosedLoopResult;
  /** The protocol floor (bench/protocol-floor-server.ts): the contract's frames, no work. */
  floor?: ClosedLoopResult;
  viva?: ClosedLoopResult;
  /** The original design in FastAPI (bench/peers/); absent when no python3 with FastAPI is here. */
  peer?: ClosedLoopResult;
  /** Viva's first seconds after start, without warm-up (the target level only). */
  vivaCold?: ClosedLoopResult;
  rounds: { echo: ClosedLoopResult[]; floor: ClosedLoopResult[]; viva: ClosedLoopResult[]; peer: ClosedLoopResult[] };
  /** Viva divided by echo. */
  ratios?: LoadRatios;
  /** Viva divided by the peer. */
  peerRatios?: LoadRatios;
  /** The protocol floor divided by echo: the most a server keeping the contract reaches in this run. */
  floorRatios?: LoadRatios;
  cpuProfile?: ProfileSummary;
  errors: string[];
}

export interface LoadRatios {
  turnsPerSecond?: number;
  p50?: number;
  p99?: number;
  rssEnd?: number;
  cpuPerTurn?: number;
}

/** a divided by b, field by field. */
export function loadRatios(a: ClosedLoopResult | undefined, b: ClosedLoopResult | undefined): LoadRatios {
  return {
    turnsPerSecond: ratio(a?.turnsPerSecond, b?.turnsPerSecond),
    p50: ratio(a?.latencyMs.p50, b?.latencyMs.p50),
    p99: ratio(a?.latencyMs.p99, b?.latencyMs.p99),
    rssEnd: ratio(a?.server.rssEndBytes, b?.server.rssEndBytes),
    cpuPerTurn: ratio(a?.server.cpuMicrosecondsPerTurn, b?.server.cpuMicrosecondsPerTurn),
  };
}

export interface IdleComparison {
  echo?: IdleResult;
  viva?: IdleResult;
  peer?: IdleResult;
  /** Viva's memory per connection divided by echo's. */
  bytesPerConnectionRatio?: number;
  errors: string[];
}

export type Verdict = 'PASS' | 'MISS' | 'NOT MEASURED';

export interface Target {
  name: string;
  goal: string;
  measured: string;
  verdict: Verdict;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { node: string; cpus: number; cpuModel: string; platform: string; memoryMiB: number };
  options: BenchOptions;
  vivaSettings: Record<string, string>;
  serverOpenFilesLimit?: number;
  load: LoadLevel[];
  idle?: IdleComparison;
  /** Why the peer was not run, when it was not. */
  peerSkipped?: string;
  longInterview?: LongInterviewResult;
  voice?: VoiceBenchResult;
  targets: Target[];
}

/** The 30-question interview scenario (bench/long-interview.ts). */
export interface LongInterviewResult {
  /** Candidates of a cohort. */
  sessions: number;
  /** Measured cohorts (after the two warm-up ones). */
  cohorts: number;
  /** Server CPU per turn and mean latency, per phase of the interviews, the measured cohorts pooled. */
  early: LongInterviewPhase;
  late: LongInterviewPhase;
  /** late / early server CPU per turn, pooled. */
  cpuRatio: number;
  /** Each measured cohort's own late / early ratio, in the order they ran. */
  cohortRatios: number[];
  /** The same ratios of the server's main thread alone (the turns' own work, without helper threads). */
  mainThreadRatio: number;
  cohortMainThreadRatios: number[];
  /** Database file size (after the server closed it) divided by the turns stored (the warm-up cohorts' too). */
  bytesPerTurn: number;
  turns: number;
}

export interface LongInterviewPhase {
  /** Which main questions the phase covers, by `question_number`. */
  questions: string;
  turns: number;
  cpuMicrosecondsPerTurn: number;
  mainThreadMicrosecondsPerTurn: number;
  meanLatencyMs: number;
}

export const TARGET_CONNECTIONS = 50;
export const TARGETS = {
  throughputRatio: 0.6,
  p99Ratio: 2,
  idleMemoryRatio: 2,
  idleConnections: 10_000,
  // issue 15: against the peer (the original design), and absolute
  peerThroughputRatio: 1.5,
  cpuMicrosecondsPerTurn: 200,
  idleKiBPerConnection: 8,
  lateTurnCostRatio: 1.2,
} as const;

export function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  return numerator !== undefined && denominator !== undefined && denominator > 0 ? numerator / denominator : undefined;
}

/** The issue's three targets, judged from what was measured. */
export function judgeTargets(load: LoadLevel[], idle: IdleComparison | undefined, long?: LongInterviewResult): Target[] {
  const level = load.find((candidate) => candidate.connections === TARGET_CONNECTIONS);
  const throughput = level?.ratios?.turnsPerSecond;
  const p99 = level?.ratios?.p99;
  const ceiling = (value: number | undefined) => (value === undefined ? '' : ` (protocol floor: ${times(value)})`);
  const idleRatio = idle?.bytesPerConnectionRatio;
  const vivaOpened = idle?.viva?.opened ?? 0;
  const requested = idle?.viva?.requested ?? 0;
  const fullCount = vivaOpened >= TARGETS.idleConnections && (idle?.echo?.opened ?? 0) >= TARGETS.idleConnections;
  const peerThroughput = level?.peerRatios?.turnsPerSecond;
  const cpuPerTurn = level?.viva?.server.cpuMicrosecondsPerTurn;
  const idleKiB = idle?.viva ? idle.viva.bytesPerConnection / 1024 : undefined;
  return [
    {
      name: `throughput at ${TARGET_CONNECTIONS} connections vs the original design`,
      goal: `>= ${TARGETS.peerThroughputRatio.toFixed(2)}x the peer's turns/s`,
      measured: times(peerThroughput),
      verdict: peerThroughput === undefined ? 'NOT MEASURED' : peerThroughput >= TARGETS.peerThroughputRatio ? 'PASS' : 'MISS',
    },
    {
      name: `server CPU per turn at ${TARGET_CONNECTIONS} connections`,
      goal: `<= ${TARGETS.cpuMicrosecondsPerTurn} µs`,
      measured: cpuPerTurn === undefined ? 'n/a' : `${cpuPerTurn.toFixed(0)} µs`,
      verdict: cpuPerTurn === undefined ? 'NOT MEASURED' : cpuPerTurn <= TARGETS.cpuMicrosecondsPerTurn ? 'PASS' : 'MISS',
    },
    {
      name: 'memory per idle Viva connection',
      goal: `<= ${TARGETS.idleKiBPerConnection} KiB`,
      measured: idleKiB === undefined ? 'n/a' : `${idleKiB.toFixed(2)} KiB`,
      verdict: idleKiB === undefined ? 'NOT MEASURED' : idleKiB <= TARGETS.idleKiBPerConnection ? 'PASS' : 'MISS',
    },
    {
      name: 'late turns of a 30-question interview',
      goal: `<= ${TARGETS.lateTurnCostRatio}x the early turns' CPU`,
      measured: long === undefined ? 'n/a' : `${times(long.cpuRatio)}, ${long.bytesPerTurn.toFixed(0)} bytes stored per turn`,
      verdict: long === undefined ? 'NOT MEASURED' : long.cpuRatio <= TARGETS.lateTurnCostRatio ? 'PASS' : 'MISS',
    },
    {
      name: `throughput at ${TARGET_CONNECTIONS} connections`,
      goal: `>= ${TARGETS.throughputRatio.toFixed(2)}x echo turns/s`,
      measured: `${times(throughput)}${ceiling(level?.floorRatios?.turnsPerSecond)}`,
      verdict: throughput === undefined ? 'NOT MEASURED' : throughput >= TARGETS.throughputRatio ? 'PASS' : 'MISS',
    },
    {
      name: `p99 turn latency at ${TARGET_CONNECTIONS} connections`,
      goal: `< ${TARGETS.p99Ratio}x echo p99`,
      measured: `${times(p99)}${ceiling(level?.floorRatios?.p99)}`,
      verdict: p99 === undefined ? 'NOT MEASURED' : p99 < TARGETS.p99Ratio ? 'PASS' : 'MISS',
    },
    {
      name: `memory per idle connection (${TARGETS.idleConnections.toLocaleString('en')} open)`,
      goal: `<= ${TARGETS.idleMemoryRatio}x echo`,
      measured: `${times(idleRatio)}${idle && !fullCount ? ` (${vivaOpened.toLocaleString('en')} Viva connections open)` : ''}`,
      // a run that asked for fewer than 10,000 (--quick) did not test the target; one that asked and got fewer missed it
      verdict:
        idleRatio === undefined || requested < TARGETS.idleConnections
          ? 'NOT MEASURED'
          : idleRatio <= TARGETS.idleMemoryRatio && fullCount
            ? 'PASS'
            : 'MISS',
    },
  ];
}

export function times(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(2)}x`;
}

/** The round with the most turns per second, or undefined when none completed. */
export function bestRound(rounds: readonly ClosedLoopResult[]): ClosedLoopResult | undefined {
  return rounds.reduce<ClosedLoopResult | undefined>((best, round) => (best && best.turnsPerSecond >= round.turnsPerSecond ? best : round), undefined);
}
