import { normalizeLevel } from '../../interview/interview-settings.js';
import type { InterviewPlan, InterviewSettings, PlannedQuestion } from '../../interview/interview-types.js';
import { competencyName } from './competency-names.js';
import { mentionsKeyword } from './keyword-matching.js';
import { bankForTrack } from './question-bank-registry.js';
import type { BankQuestion, QuestionStage, RoleTrack, SeniorityLevel } from './question-bank-types.js';
import { isSoftwareRole, matchRoleTrack } from '../../interview/rules/role-track.js';
import { bankScoringGuide, scoringGuideEntry } from './scoring-guide.js';
import { buildSkillQuestion } from './skill-question.js';
import { seededShuffle } from './seeded-random.js';
import { QUESTION_STAGE_ORDER, allocateStages } from '../../interview/rules/stage-allocation.js';
import type { StageAllocation } from '../../interview/rules/stage-allocation.js';
import { fillTemplate } from './text-tools.js';
import { jobKey } from '../../interview/rules/job-key.js';
import { CORE_STAGES, isCoreStage, selectCoreQuestions } from './competency-coverage.js';
import type { CoreStage } from './competency-coverage.js';
import { focusKeys } from './competency-names.js';

/** Stages that take extra questions when another stage's bank runs out, most useful first. */
const OVERFLOW_STAGES: readonly QuestionStage[] = ['technical', 'behavioral', 'experience'];

interface PlanContext {
  /** Seeds the order of questions: the job, never the session, so every candidate gets the same plan. */
  seed: string;
  level: SeniorityLevel;
  track: RoleTrack;
  /** Whether general technical questions should be the software ones. */
  software: boolean;
  jobDescription: string | undefined;
}

function suitsLevel(question: BankQuestion, level: SeniorityLevel): boolean {
  return question.levels === undefined || question.levels.includes(level);
}

/** The level sets that count as written for a level in particular (rather than for everyone). */
const TARGETED_LEVELS: Readonly<Record<SeniorityLevel, readonly SeniorityLevel[]>> = {
  junior: ['junior', 'mid'],
  mid: ['junior', 'mid', 'senior'],
  senior: ['senior', 'lead'],
  lead: ['senior', 'lead'],
};

/** Written for this level in particular: design and leadership for seniors and leads, basics for juniors. */
function targetsLevel(question: BankQuestion, level: SeniorityLevel): boolean {
  const levels = question.levels;
  return levels !== undefined && levels.includes(level) && levels.every((each) => TARGETED_LEVELS[level].includes(each));
}

/** General technical questions come in two sets: software ones for engineers, role-neutral ones for the rest. */
function suitsAudience(question: BankQuestion, software: boolean): boolean {
  if (question.stage !== 'technical') return true;
  return (question.audience === 'software') === software;
}

function mentionedInJob(question: BankQuestion, jobDescription: string | undefined): boolean {
  if (jobDescription === undefined) return false;
  return (question.keywords ?? []).some((keyword) => mentionsKeyword(jobDescription, keyword));
}

function unique(questions: ReadonlyArray<BankQuestion | undefined>): BankQuestion[] {
  const seen = new Set<string>();
  const result: BankQuestion[] = [];
  for (const question of questions) {
    if (question === undefined || seen.has(question.id)) continue;
    seen.add(question.id);
    result.push(question);
  }
  return result;
}

/** A stage's questions, best first; the first `preferred` suit the level and track, the rest are for running out. */
interface StagePool {
  questions: BankQuestion[];
  preferred: number;
  /** The job's skill question and the question the job description names, if any. */
  matched: BankQuestion[];
  /** A question written for the candidate's level in particular, if any. */
  forLevel: BankQuestion | undefined;
}

/**
 * The questions a stage may use, best first: a question matching the job description, then one
 * written for the candidate's level, then the rest in an order seeded by the session id; questions for
 * other levels come last, only used when a long interview would otherwise run out.
 */
function orderStagePool(stage: QuestionStage, context: PlanContext, extra: BankQuestion | undefined): StagePool {
  const trackQuestions = context.track === 'general' ? [] : bankForTrack(context.track).questions;
  const generalQuestions = bankForTrack('general').questions;
  const trackOfStage = trackQuestions.filter((question) => question.stage === stage);
  const generalOfStage = generalQuestions.filter(
    (question) => question.stage === stage && suitsAudience(question, context.software),
  );

  // a track's technical stage is its own; engineering tracks borrow general software questions only
  // when a long interview runs out, product borrows the role-neutral ones
  const ownTechnical = stage === 'technical' && context.track !== 'general';
  const primary = ownTechnical ? trackOfStage : [...trackOfStage, ...generalOfStage];
  const borrowed = ownTechnical ? generalOfStage : [];

  const seed = `${context.seed}:${stage}`;
  const fitting = seededShuffle(primary.filter((question) => suitsLevel(question, context.level)), seed);
  const fittingBorrowed = seededShuffle(borrowed.filter((question) => suitsLevel(question, context.level)), `${seed}:borrowed`);
  const otherLevels = seededShuffle(
    [...primary, ...borrowed].filter((question) => !suitsLevel(question, context.level)),
    `${seed}:other-levels`,
  );

  const fromJob = fitting.find((question) => mentionedInJob(question, context.jobDescription));
  const forLevel = fitting.find((question) => targetsLevel(question, context.level));
  // experience leads with the track's own question (or the skill question) before general ones
  const fromTrack = stage === 'experience' ? fitting.find((question) => trackQuestions.includes(question)) : undefined;
  const preferred = unique([extra, fromJob, fromTrack, forLevel, ...fitting]);
  return {
    questions: unique([...preferred, ...fittingBorrowed, ...otherLevels]),
    preferred: preferred.length,
    matched: unique([extra, fromJob]),
    forLevel,
  };
}

/** Shrinks stages whose pool is too small and gives the shortfall to stages that still have questions. */
function fitAllocation(allocation: StageAllocation, pools: Readonly<Record<QuestionStage, readonly BankQuestion[]>>): StageAllocation {
  const fitted: StageAllocation = { ...allocation };
  let shortfall = 0;
  for (const stage of QUESTION_STAGE_ORDER) {
    const available = pools[stage].length;
    if (fitted[stage] > available) {
      shortfall += fitted[stage] - available;
      fitted[stage] = available;
    }
  }
  for (const stage of OVERFLOW_STAGES) {
    const room = pools[stage].length - fitted[stage];
    const taken = Math.min(room, shortfall);
    fitted[stage] += taken;
    shortfall -= taken;
  }
  return fitted;
}

function toPlannedQuestion(question: BankQuestion, settings: InterviewSettings): PlannedQuestion {
  const language = settings.language;
  return {
    id: question.id,
    stage: question.stage,
    text: fillTemplate(question.text[language], { role: settings.role }, language),
    competency: competencyName(question.competency, language),
    ...scoringGuideEntry(bankScoringGuide(question, language)),
  };
}

/**
 * The built-in interview plan: `question_count` main questions (fewer only when the banks run out, far
 * beyond a dozen) over the stages in order, chosen for the role's track and the level. A structured
 * interview: the plan depends on the job only (role, level, language, job description, question count,
 * a template's focus), so every candidate for one job gets the same questions in the same order and their reports compare;
 * the résumé does not change it. The session id is not used; the parameter stays for the planner port.
 */
export function buildInterviewPlan(_sessionId: string, settings: InterviewSettings): InterviewPlan {
  const track = matchRoleTrack(settings.role);
  const seed = jobKey(settings);
  const context: PlanContext = {
    seed,
    level: normalizeLevel(settings.level),
    track,
    software: track === 'general' ? isSoftwareRole(settings.role) : track !== 'product',
    jobDescription: settings.job_description,
  };
  const skills = [...bankForTrack(track).skills, ...(track === 'general' ? [] : bankForTrack('general').skills)];
  const skillQuestion = buildSkillQuestion(skills, settings.job_description, undefined, seed);

  const stagePools = Object.fromEntries(
    QUESTION_STAGE_ORDER.map((stage) => [stage, orderStagePool(stage, context, stage === 'experience' ? skillQuestion : undefined)]),
  ) as Record<QuestionStage, StagePool>;
  const pools = Object.fromEntries(QUESTION_STAGE_ORDER.map((stage) => [stage, stagePools[stage].questions])) as Record<QuestionStage, BankQuestion[]>;
  const counts = fitAllocation(allocateStages(settings.question_count), pools);
  // each competency on two questions where the budget allows, the team's focus first
  const core = selectCoreQuestions(
    { questions: pools, preferred: Object.fromEntries(CORE_STAGES.map((stage) => [stage, stagePools[stage].preferred])) as Record<CoreStage, number> },
    counts,
    focusKeys(settings.focus ?? []),
    // what the job names comes first, then what suits the level (a design question for a senior)
    [
      ...CORE_STAGES.flatMap((stage) => stagePools[stage].matched),
      ...(['technical', 'behavioral', 'experience'] as const).flatMap((stage) => stagePools[stage].forLevel ?? []),
    ].map((question) => question.competency),
  );
  const chosen = (stage: QuestionStage) => (isCoreStage(stage) ? core[stage] : pools[stage].slice(0, counts[stage]));

  const questions = QUESTION_STAGE_ORDER.flatMap((stage) => chosen(stage).map((question) => toPlannedQuestion(question, settings)));
  return { track, role: settings.role, level: context.level, language: settings.language, questions, created_by: 'builtin' };
}
