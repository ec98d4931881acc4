import type { BankQuestion, QuestionStage } from './question-bank-types.js';

/** Stages whose questions assess a competency in depth; the warm-up and the candidate's turn are one question each. */
export const CORE_STAGES = ['experience', 'technical', 'behavioral'] as const satisfies readonly QuestionStage[];
export type CoreStage = (typeof CORE_STAGES)[number];
export type CoreCounts = Record<CoreStage, number>;

/** A competency rests on at least this many questions when the budget allows. */
export const QUESTIONS_PER_COMPETENCY = 2;

/** Search steps per capacity variant; the banks are small, so a plan is found long before this. */
const SEARCH_STEP_LIMIT = 4000;

interface Candidate {
  question: BankQuestion;
  stage: CoreStage;
  /** Preference: lower is better (round-robin over the stages' pools, best first). */
  rank: number;
}

interface Group {
  competency: string;
  /** Lower is better: focus competencies first, then the rank of the group's best question. */
  rank: number;
  candidates: Candidate[];
}

interface Selection {
  picked: Candidate[];
  /** Ranks of the chosen competencies, sorted: compared to pick the better of two selections. */
  groupRanks: number[];
  complete: boolean;
}

export function isCoreStage(stage: QuestionStage): stage is CoreStage {
  return (CORE_STAGES as readonly QuestionStage[]).includes(stage);
}

/** Candidates in preference order: every stage's best, then every stage's second best, and so on. */
function rankCandidates(pools: Readonly<Record<CoreStage, readonly BankQuestion[]>>): Candidate[] {
  const seen = new Set<string>();
  const ranked: Candidate[] = [];
  const longest = Math.max(...CORE_STAGES.map((stage) => pools[stage].length));
  for (let position = 0; position < longest; position++) {
    for (const stage of CORE_STAGES) {
      const question = pools[stage][position];
      if (question === undefined || seen.has(question.id) || !isCoreStage(question.stage)) continue;
      seen.add(question.id);
      ranked.push({ question, stage, rank: ranked.length });
    }
  }
  return ranked;
}

function groupByCompetency(candidates: readonly Candidate[], focus: readonly string[]): Group[] {
  const groups = new Map<string, Group>();
  for (const candidate of candidates) {
    const competency = candidate.question.competency;
    const group = groups.get(competency) ?? { competency, rank: candidate.rank, candidates: [] };
    group.candidates.push(candidate);
    groups.set(competency, group);
  }
  // focus competencies come before every other, in the order the team gave them
  for (const [index, competency] of focus.entries()) {
    const group = groups.get(competency);
    if (group !== undefined) group.rank = index - focus.length - candidates.length;
  }
  return [...groups.values()].sort((left, right) => left.rank - right.rank);
}

function compareSelections(left: Selection, right: Selection): number {
  if (left.complete !== right.complete) return left.complete ? -1 : 1;
  if (left.picked.length !== right.picked.length) return right.picked.length - left.picked.length;
  const length = Math.min(left.groupRanks.length, right.groupRanks.length);
  for (let index = 0; index < length; index++) {
    const difference = (left.groupRanks[index] ?? 0) - (right.groupRanks[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return right.groupRanks.length - left.groupRanks.length;
}

/** Every pair of a group's candidates, best pairs first. */
function pairsOf(candidates: readonly Candidate[]): Array<[Candidate, Candidate]> {
  const pairs: Array<[Candidate, Candidate]> = [];
  for (let first = 0; first < candidates.length; first++) {
    for (let second = first + 1; second < candidates.length; second++) {
      const left = candidates[first];
      const right = candidates[second];
      if (left !== undefined && right !== undefined) pairs.push([left, right]);
    }
  }
  return pairs.sort((left, right) => Math.max(left[0].rank, left[1].rank) - Math.max(right[0].rank, right[1].rank));
}

/**
 * Depth-first over competencies in preference order, two questions each within the stages' capacity; an odd
 * last slot goes to a third question of a competency already chosen. The first complete selection found
 * takes the best competencies the capacity allows.
 */
function searchCapacity(groups: readonly Group[], capacity: CoreCounts): Selection {
  const total = CORE_STAGES.reduce((sum, stage) => sum + capacity[stage], 0);
  const left: CoreCounts = { ...capacity };
  const picked: Candidate[] = [];
  const chosen: Group[] = [];
  let best: Selection = { picked: [], groupRanks: [], complete: false };
  let steps = 0;

  const record = (complete: boolean) => {
    const selection = { picked: [...picked], groupRanks: chosen.map((group) => group.rank).sort((a, b) => a - b), complete };
    if (compareSelections(selection, best) < 0) best = selection;
  };

  const closeOddSlot = (): boolean => {
    const usedIds = new Set(picked.map((candidate) => candidate.question.id));
    const extra = chosen
      .flatMap((group) => group.candidates)
      .filter((candidate) => !usedIds.has(candidate.question.id) && left[candidate.stage] > 0)
      .sort((a, b) => a.rank - b.rank)[0];
    if (extra === undefined) return false;
    picked.push(extra);
    record(true);
    picked.pop();
    return true;
  };

  const visit = (from: number): boolean => {
    steps += 1;
    const remaining = total - picked.length;
    if (remaining === 0) {
      record(true);
      return true;
    }
    if (remaining === 1 && closeOddSlot()) return true;
    record(false);
    if (remaining < QUESTIONS_PER_COMPETENCY || steps > SEARCH_STEP_LIMIT) return false;
    for (let index = from; index < groups.length; index++) {
      const group = groups[index];
      if (group === undefined) continue;
      for (const [first, second] of pairsOf(group.candidates)) {
        left[first.stage] -= 1;
        left[second.stage] -= 1;
        if (left[first.stage] >= 0 && left[second.stage] >= 0) {
          picked.push(first, second);
          chosen.push(group);
          const done = visit(index + 1);
          chosen.pop();
          picked.length -= 2;
          if (done) {
            left[first.stage] += 1;
            left[second.stage] += 1;
            return true;
          }
        }
        left[first.stage] += 1;
        left[second.stage] += 1;
        if (steps > SEARCH_STEP_LIMIT) return false;
      }
    }
    return false;
  };
  visit(0);
  return best;
}

/** The allocation, then every way of moving one question from one core stage to another (emptying one last). */
function capacityVariants(counts: CoreCounts): CoreCounts[] {
  const moves: CoreCounts[] = [];
  for (const from of CORE_STAGES) {
    for (const to of CORE_STAGES) {
      if (from === to || counts[from] === 0) continue;
      moves.push({ ...counts, [from]: counts[from] - 1, [to]: counts[to] + 1 });
    }
  }
  const keepsStages = (variant: CoreCounts) => CORE_STAGES.every((stage) => counts[stage] === 0 || variant[stage] > 0);
  return [{ ...counts }, ...moves.filter(keepsStages), ...moves.filter((variant) => !keepsStages(variant))];
}

/** The questions of each core stage, best first, and how many of those are preferred (the rest are for running out). */
export interface CorePools {
  questions: Readonly<Record<CoreStage, readonly BankQuestion[]>>;
  preferred: Readonly<Record<CoreStage, number>>;
}

interface Attempt {
  selection: Selection;
  /** How much of what should be in (the focus above all, then the priorities in order) it holds. */
  required: number;
  variant: number;
  /** Every stage the allocation gives a question still has one. */
  keepsStages: boolean;
}

function compareAttempts(left: Attempt, right: Attempt): number {
  if (left.selection.complete !== right.selection.complete) return left.selection.complete ? -1 : 1;
  if (left.keepsStages !== right.keepsStages) return left.keepsStages ? -1 : 1;
  if (left.required !== right.required) return right.required - left.required;
  if (left.variant !== right.variant) return left.variant - right.variant;
  return compareSelections(left.selection, right.selection);
}

function bestAttempt(
  pools: Readonly<Record<CoreStage, readonly BankQuestion[]>>,
  counts: CoreCounts,
  focus: readonly string[],
  priorities: readonly string[],
) {
  const candidates = rankCandidates(pools);
  const groups = groupByCompetency(candidates, focus);
  let best: Attempt | undefined;
  for (const [variant, capacity] of capacityVariants(counts).entries()) {
    const selection = searchCapacity(groups, capacity);
    const held = new Set<string>(selection.picked.map((candidate) => candidate.question.competency));
    // the focus above all, then the priorities in their order: each outweighs all those after it
    const required =
      focus.filter((competency) => held.has(competency)).length * 2 ** (priorities.length + 1) +
      priorities.reduce((sum, competency, index) => sum + (held.has(competency) ? 2 ** (priorities.length - index) : 0), 0);
    const used = new Set(selection.picked.map((candidate) => candidate.stage));
    const attempt = { selection, required, variant, keepsStages: CORE_STAGES.every((stage) => counts[stage] === 0 || used.has(stage)) };
    if (best === undefined || compareAttempts(attempt, best) < 0) best = attempt;
  }
  return { candidates, best };
}

/**
 * Chooses the core questions of a plan so that each competency rests on at least two of them: fewer
 * competencies, each asked about twice, rather than many resting on one answer. `focus` (competency keys)
 * come first, then `priorities` (competency keys, most wanted first: what the job names, what suits the
 * level). A stage may give one question to another when that keeps more of those in.
 * The preferred questions are tried first, then the rest; when no complete selection exists (a
 * one-question interview, a bank that runs out) the free slots are filled with the best questions left, in
 * the allocation's stages. Returns the chosen questions per stage, in the order they are asked.
 */
export function selectCoreQuestions(
  pools: CorePools,
  counts: CoreCounts,
  focus: readonly string[],
  priorities: readonly string[] = [],
): Record<CoreStage, BankQuestion[]> {
  const preferredPools = Object.fromEntries(
    CORE_STAGES.map((stage) => [stage, pools.questions[stage].slice(0, pools.preferred[stage])]),
  ) as Record<CoreStage, BankQuestion[]>;
  let attempt = bestAttempt(preferredPools, counts, focus, priorities);
  if (attempt.best?.selection.complete !== true) attempt = bestAttempt(pools.questions, counts, focus, priorities);
  const { candidates, best } = attempt;
  const picked = best?.selection.complete === true ? [...best.selection.picked] : fillShortfall(best?.selection.picked ?? [], candidates, counts);
  const focusRank = (question: BankQuestion) => {
    const index = focus.indexOf(question.competency);
    return index === -1 ? focus.length : index;
  };
  // within a stage: focus competencies first, then the pools' order
  picked.sort((left, right) => focusRank(left.question) - focusRank(right.question) || left.rank - right.rank);
  return Object.fromEntries(
    CORE_STAGES.map((stage) => [stage, picked.filter((candidate) => candidate.stage === stage).map((candidate) => candidate.question)]),
  ) as Record<CoreStage, BankQuestion[]>;
}

/** Keeps the pairs that fit the allocation and fills its free slots with the best questions left. */
function fillShortfall(partial: readonly Candidate[], candidates: readonly Candidate[], counts: CoreCounts): Candidate[] {
  const left: CoreCounts = { ...counts };
  const kept: Candidate[] = [];
  for (const candidate of partial) {
    if (left[candidate.stage] <= 0) continue;
    left[candidate.stage] -= 1;
    kept.push(candidate);
  }
  const used = new Set(kept.map((candidate) => candidate.question.id));
  for (const candidate of candidates) {
    if (used.has(candidate.question.id) || left[candidate.stage] <= 0) continue;
    left[candidate.stage] -= 1;
    kept.push(candidate);
  }
  return kept;
}
