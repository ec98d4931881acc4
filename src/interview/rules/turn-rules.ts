import type { CandidateInput } from '../interview-ports.js';
import type { AnswerRecord, FollowUpKind, InterviewPlan, InterviewProgress, InterviewSettings, InterviewSnapshot, Language, PlannedQuestion, StageName } from '../interview-types.js';
import { normalizeLevel } from '../interview-settings.js';
import { detectIntent, requestedLanguage } from './candidate-intent.js';
import type { CandidateIntent } from './candidate-intent.js';
import { measureWords } from './word-measure.js';

/**
 * The interview's rules, one turn at a time, whichever engine writes the words: the greeting once, what a
 * short message asks for ("repeat", "skip", "I don't know"), where an answer is recorded, the per-question
 * follow-up limit, the question and time budgets and the closing. The rules decide where every possible
 * reply leaves the interview; the engine decides only what to say and whether to follow up (TurnDecision),
 * so any engine can take any turn (the fallback switches on a failed call) and a new engine imports no other.
 * Pure: the snapshot is never modified; every outcome holds a progress object of its own.
 */

/** Follow-ups allowed per main question, by stage: stories and technical answers get up to two. */
export const MAX_FOLLOW_UPS: Readonly<Record<StageName, number>> = {
  opening: 1,
  experience: 2,
  technical: 2,
  behavioral: 2,
  candidate_questions: 0,
  closing: 0,
};

/** Stages whose questions assess in depth: they get the probe on a strong answer and the hint after "I don't know". */
const DEPTH_STAGES: ReadonlySet<StageName> = new Set(['experience', 'technical', 'behavioral']);

/** Levels at which a strong answer earns one probing follow-up (trade-offs, how they verified it). */
const PROBED_LEVELS: ReadonlySet<string> = new Set(['senior', 'lead']);

/** Below this many words an answer is thin: a hint to the engine that a follow-up may be due. */
const THIN_ANSWER_WORDS = 25;

/**
 * What the turn responds to. Besides answers (`answer`, `skip`, `unknown`, `candidate_question`), the
 * messages that are not answers and are never recorded as one: `repeat`, `clarify` (rephrase the
 * question), `wait` (the candidate asked for a moment), `resume` (a reconnect or "where were we"),
 * `language` (answer in another supported language), `human` ("are you a bot?": say honestly), and
 * `redirect` (abuse or an injection attempt: back to the question once, then on to the next; noted).
 */
export type Situation =
  | 'completed'
  | 'greeting'
  | 'resume'
  | 'repeat'
  | 'clarify'
  | 'wait'
  | 'language'
  | 'human'
  | 'redirect'
  | 'answer'
  | 'skip'
  | 'unknown'
  | 'candidate_question';

/** What the reply does after reacting, when it does not follow up. */
export type NextStep =
  | {
      kind: 'question';
      question: PlannedQuestion;
      /** The first question of the interview (asked right after the greeting). */
      first: boolean;
      /** The stage of the question asked before it, if any. */
      previousStage: StageName | undefined;
      stageChanged: boolean;
    }
  | { kind: 'same_question'; question: string }
  | { kind: 'closing'; reason: 'plan' | 'time' }
  | { kind: 'none' };

export interface PlannedOutcome {
  progress: InterviewProgress;
  follow_up: boolean;
  ended: boolean;
}

/** The candidate's message as it was recorded against the question awaiting an answer. */
export interface RecordedInput {
  /** The main question's record with this message recorded (as an answer or a follow-up answer). */
  record: AnswerRecord;
  /** The follow-up question the message answered; undefined when it answered the main question. */
  followUpQuestion: string | undefined;
  text: string;
}

export interface FollowUpOption {
  /** Follow-ups still allowed for this question. */
  remaining: number;
  /** The answer so far (main and follow-up answers) is short: a hint, the engine decides. */
  thin: boolean;
  /**
   * `hint`: the candidate said "I don't know" to the main question; the follow-up, if asked, is one hint
   * or a smaller version of the question (once; a second "I don't know" moves on). `probe`: senior or
   * lead level and no probe yet on this question; if the answer is strong, the follow-up may probe
   * trade-offs or how they verified it. Absent: an ordinary follow-up for what the answer lacks.
   */
  purpose?: FollowUpKind | undefined;
  /** The progress after asking `question` as a follow-up (of `kind`, when it is a probe or the hint). */
  outcome(question: string, kind?: FollowUpKind): PlannedOutcome;
}

export interface TurnPlan {
  situation: Situation;
  /** What a short message asked for (`none`: an ordinary answer, or no message). */
  intent: CandidateIntent;
  /** Where the turn leaves the interview when the engine does not follow up. */
  next: PlannedOutcome & { step: NextStep };
  /** Present when the candidate's message was recorded against a question. */
  recorded?: RecordedInput | undefined;
  /** Present when the engine may follow up instead of moving on. */
  followUp?: FollowUpOption | undefined;
  /** `language`: the supported language the candidate asked to use. */
  language?: Language | undefined;
}

/** What an engine decides in a turn besides its words: move on as planned, or ask a follow-up. */
export type TurnDecision = { kind: 'next' } | { kind: 'follow_up'; question: string; purpose?: FollowUpKind | undefined };

/**
 * A turn changes only the newest record (the question awaiting an answer), so only that one is copied; the
 * earlier ones are shared. A turn late in a long interview then costs what an early one does, and a store
 * that hands out frozen records sees the unchanged ones come back as the same objects.
 */
export function copyProgress(progress: InterviewProgress): InterviewProgress {
  const records = progress.records.slice();
  const last = records.at(-1);
  if (last !== undefined) records[records.length - 1] = copyRecord(last);
  return {
    ...progress,
    ...(progress.non_answers === undefined ? {} : { non_answers: progress.non_answers.slice() }),
    records,
  };
}

/** A record is plain data (strings, flags and its follow-ups): a copy needs no structuredClone. */
function copyRecord(record: AnswerRecord): AnswerRecord {
  return { ...record, follow_ups: record.follow_ups.map((followUp) => ({ ...followUp })) };
}

/** Questions asked so far, main and follow-up. */
export function questionsAsked(progress: InterviewProgress): number {
  let asked = progress.records.length + (progress.pending_follow_up === null ? 0 : 1);
  for (const record of progress.records) asked += record.follow_ups.length;
  return asked;
}

/** Whether `max_minutes` have passed since the interview started (by the request's clock). */
export function isTimeUp(settings: InterviewSettings, progress: InterviewProgress, now: Date): boolean {
  if (progress.started_at === null) return false;
  return now.getTime() - Date.parse(progress.started_at) >= settings.max_minutes * 60_000;
}

/** The record of the main question awaiting an answer, if there is one. */
export function currentRecord(plan: InterviewPlan, progress: InterviewProgress): AnswerRecord | undefined {
  const question = plan.questions[progress.current_index];
  const record = progress.records.at(-1);
  return question !== undefined && record?.question_id === question.id ? record : undefined;
}

/**
 * The next plan question after the current one that was never asked (a plan may repeat itself). Nearly
 * always the very next one, so the records are searched for it rather than gathered into a set first: a
 * set of every question asked, made on every turn, cost more the longer the interview ran.
 */
export function nextQuestionIndex(plan: InterviewPlan, progress: InterviewProgress): number | undefined {
  for (let index = progress.current_index + 1; index < plan.questions.length; index++) {
    const question = plan.questions[index];
    if (question !== undefined && !progress.records.some((record) => record.question === question.text)) return index;
  }
  return undefined;
}

type Step = TurnPlan['next'];

function finish(progress: InterviewProgress, now: Date, reason: 'plan' | 'time'): Step {
  progress.state = 'completed';
  progress.end_reason = 'completed';
  progress.ended_at = now.toISOString();
  progress.pending_follow_up = null;
  progress.pending_follow_up_kind = null;
  return { progress, follow_up: false, ended: true, step: { kind: 'closing', reason } };
}

function ask(plan: InterviewPlan, progress: InterviewProgress, index: number, now: Date, first: boolean): Step {
  const question = plan.questions[index];
  if (question === undefined) return finish(progress, now, 'plan');
  const previousStage = plan.questions[progress.current_index]?.stage;
  progress.current_index = index;
  progress.pending_follow_up = null;
  progress.pending_follow_up_kind = null;
  progress.last_question = question.text;
  progress.records.push({
    question_id: question.id,
    question: question.text,
    stage: question.stage,
    competency: question.competency,
    answer: '',
    follow_ups: [],
    skipped: false,
    unknown: false,
  });
  const stageChanged = previousStage !== undefined && previousStage !== question.stage;
  return { progress, follow_up: false, ended: false, step: { kind: 'question', question, first, previousStage, stageChanged } };
}

/** After an answer: the next question, or the closing when the plan, the question budget or the time is spent. */
function moveOn(snapshot: InterviewSnapshot, progress: InterviewProgress, now: Date): Step {
  if (isTimeUp(snapshot.settings, progress, now)) return finish(progress, now, 'time');
  const next = nextQuestionIndex(snapshot.plan, progress);
  if (next === undefined || progress.records.length >= snapshot.settings.question_count) return finish(progress, now, 'plan');
  return ask(snapshot.plan, progress, next, now, false);
}

/** The question awaiting an answer again (a reconnect, "could you repeat that"), progress unchanged. */
function askAgain(snapshot: InterviewSnapshot, progress: InterviewProgress, now: Date): Step {
  if (progress.last_question === null) return moveOn(snapshot, progress, now);
  return { progress, follow_up: progress.pending_follow_up !== null, ended: false, step: { kind: 'same_question', question: progress.last_question } };
}

function greet(snapshot: InterviewSnapshot, progress: InterviewProgress, now: Date): Step {
  progress.state = 'in_progress';
  progress.started_at ??= now.toISOString();
  progress.greeted = true;
  // a question asked without a greeting (only an engine switch could do that) is asked again, not skipped
  if (currentRecord(snapshot.plan, progress) !== undefined && progress.last_question !== null) return askAgain(snapshot, progress, now);
  const first = nextQuestionIndex(snapshot.plan, progress);
  return first === undefined ? finish(progress, now, 'plan') : ask(snapshot.plan, progress, first, now, true);
}

/**
 * Abuse or an injection attempt: noted for the report, never recorded as an answer. The first on a
 * question leads back to it; a second on the same question moves on, the question left unanswered.
 */
function redirect(snapshot: InterviewSnapshot, progress: InterviewProgress, now: Date, kind: 'abuse' | 'injection', text: string): Step {
  const record = currentRecord(snapshot.plan, progress);
  const notes = progress.non_answers ?? [];
  const repeated = record !== undefined && notes.some((note) => note.question_id === record.question_id);
  progress.non_answers = [...notes, { kind, question_id: record?.question_id ?? null, text }];
  if (record === undefined || !repeated) {
    return isTimeUp(snapshot.settings, progress, now) ? finish(progress, now, 'time') : askAgain(snapshot, progress, now);
  }
  if (record.answer.trim() === '' && record.follow_ups.length === 0) record.skipped = true;
  progress.pending_follow_up = null;
  return moveOn(snapshot, progress, now);
}

function appendAnswer(existing: string, text: string): string {
  return existing === '' ? text : `${existing}\n${text}`;
}

/** Decides where the turn takes the interview for each thing the engine may choose to say. */
export function planTurn(snapshot: InterviewSnapshot, input: CandidateInput, now: Date): TurnPlan {
  const progress = copyProgress(snapshot.progress);
  if (progress.state === 'completed') {
    return { situation: 'completed', intent: 'none', next: { progress, follow_up: false, ended: false, step: { kind: 'none' } } };
  }
  if (!progress.greeted) return { situation: 'greeting', intent: 'none', next: greet(snapshot, progress, now) };
  if (input.kind === 'start') {
    const next = isTimeUp(snapshot.settings, progress, now) ? finish(progress, now, 'time') : askAgain(snapshot, progress, now);
    return { situation: 'resume', intent: 'none', next };
  }

  const text = input.text.trim();
  const intent = detectIntent(text);
  const again = (): Step => (isTimeUp(snapshot.settings, progress, now) ? finish(progress, now, 'time') : askAgain(snapshot, progress, now));
  switch (intent) {
    case 'repeat':
    case 'clarify':
    case 'human':
      return { situation: intent, intent, next: again() };
    case 'where_were_we':
      return { situation: 'resume', intent, next: again() };
    case 'language':
      return { situation: 'language', intent, next: again(), language: requestedLanguage(text) };
    case 'wait':
      // nothing is asked: the candidate's next message answers the question still open
      return { situation: 'wait', intent, next: { progress, follow_up: false, ended: false, step: { kind: 'none' } } };
    case 'abuse':
    case 'injection':
      return { situation: 'redirect', intent, next: redirect(snapshot, progress, now, intent, text) };
    default:
      break;
  }
  const record = currentRecord(snapshot.plan, progress);
  // no question awaiting an answer (only an engine switch could leave it so): move on
  if (record === undefined) return { situation: 'answer', intent, next: moveOn(snapshot, progress, now) };

  const followUpQuestion = progress.pending_follow_up ?? undefined;
  const followUpKind = progress.pending_follow_up_kind ?? undefined;
  let situation: Situation = 'answer';
  if (followUpQuestion === undefined) {
    if (record.stage === 'candidate_questions') situation = 'candidate_question';
    else if (intent === 'skip') situation = 'skip';
    else if (intent === 'unknown') situation = 'unknown';
    if (situation === 'skip') record.skipped = true;
    else record.answer = appendAnswer(record.answer, text);
    if (situation === 'unknown') record.unknown = true;
  } else {
    // declining a follow-up is fine: the main question was answered, so nothing is marked skipped
    record.follow_ups.push({ question: followUpQuestion, answer: text, ...(followUpKind === undefined ? {} : { kind: followUpKind }) });
    progress.pending_follow_up = null;
    progress.pending_follow_up_kind = null;
    if (intent === 'skip' || intent === 'unknown') situation = intent;
    // answered with the hint: the question was answered after all (the hint is weighed once, in the score)
    else if (followUpKind === 'hint') record.unknown = false;
  }
  // the record as it stands now, before moveOn changes the progress
  const recorded: RecordedInput = { record: copyRecord(record), followUpQuestion, text };
  const afterRecording = copyProgress(progress);
  const next = moveOn(snapshot, progress, now);
  const remaining = MAX_FOLLOW_UPS[record.stage] - record.follow_ups.length;
  const purpose = depthPurpose(snapshot, record, situation, followUpQuestion);
  const hinted = record.follow_ups.some((followUp) => followUp.kind === 'hint');
  const offered = purpose === 'hint' || (situation === 'answer' && !hinted);
  if (!offered || remaining <= 0 || isTimeUp(snapshot.settings, afterRecording, now)) {
    return { situation, intent, next, recorded };
  }
  const everything = [record.answer, ...record.follow_ups.map((followUp) => followUp.answer)].join('\n');
  return {
    situation,
    intent,
    next,
    recorded,
    followUp: {
      remaining,
      thin: measureWords(everything) < THIN_ANSWER_WORDS,
      ...(purpose === undefined ? {} : { purpose }),
      outcome: (question, kind) => {
        const asked = copyProgress(afterRecording);
        asked.pending_follow_up = question;
        // after "I don't know" the only follow-up on offer is the hint; a probe only where one is due
        const recordedKind = purpose === 'hint' ? 'hint' : kind === 'probe' && purpose === 'probe' ? 'probe' : null;
        asked.pending_follow_up_kind = recordedKind;
        asked.last_question = question;
        return { progress: asked, follow_up: true, ended: false };
      },
    },
  };
}

/**
 * Depth: one hint after "I don't know" to a main question of a core stage; one probe per question for a
 * senior or lead candidate's answer to a core-stage question (whether it is strong is the engine's call).
 */
function depthPurpose(snapshot: InterviewSnapshot, record: AnswerRecord, situation: Situation, followUpQuestion: string | undefined): FollowUpKind | undefined {
  if (!DEPTH_STAGES.has(record.stage)) return undefined;
  if (situation === 'unknown') return followUpQuestion === undefined && record.follow_ups.length === 0 ? 'hint' : undefined;
  if (situation !== 'answer' || !PROBED_LEVELS.has(normalizeLevel(snapshot.settings.level))) return undefined;
  return record.follow_ups.some((followUp) => followUp.kind !== undefined) ? undefined : 'probe';
}

/** The outcome of the turn once the engine has decided: its follow-up if one was allowed, else the plan's next step. */
export function settleTurn(plan: TurnPlan, decision: TurnDecision): PlannedOutcome {
  if (decision.kind === 'follow_up' && plan.followUp !== undefined) return plan.followUp.outcome(decision.question, decision.purpose);
  return { progress: plan.next.progress, follow_up: plan.next.follow_up, ended: plan.next.ended };
}
