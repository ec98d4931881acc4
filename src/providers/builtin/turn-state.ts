import type { AnswerRecord, InterviewProgress, InterviewSnapshot, Language } from '../../interview/interview-types.js';
import { pickPhrase } from './reply-phrase-picker.js';
import { phrasebookFor } from './reply-phrasing.js';
import type { Phrasebook } from './reply-phrasing.js';
import { joinSentences } from './text-tools.js';

/**
 * The working state of one interviewer turn and the small operations every part of a turn uses.
 * A turn works on its own copy of the progress, so the snapshot it was given is never modified.
 */

/** What one interviewer turn says and where it leaves the interview. */
export interface TurnOutcome {
  reply: string;
  progress: InterviewProgress;
  follow_up: boolean;
  ended: boolean;
}

/** The state of one turn while it is being decided: a private copy of the progress and the sentences so far. */
export interface Turn {
  snapshot: InterviewSnapshot;
  now: Date;
  language: Language;
  phrases: Phrasebook;
  /** A deep copy of the snapshot's progress, changed as the turn is decided. */
  progress: InterviewProgress;
  /** The reply so far, sentence by sentence. */
  sentences: string[];
  /** Questions asked before this turn (main and follow-up); varies phrasing between turns. */
  rotation: number;
  /** The last interviewer reply, so a phrase is not said twice in a row. */
  previousReply: string | undefined;
  candidateName: string | undefined;
}

/**
 * A turn changes only the newest record (the question awaiting an answer), so only that one is copied; the
 * earlier ones are shared. A turn late in a long interview then costs what an early one does, and a store
 * that hands out frozen records sees the unchanged ones come back as the same objects.
 */
export function copyProgress(progress: InterviewProgress): InterviewProgress {
  const records = progress.records.slice();
  const last = records.at(-1);
  if (last !== undefined) records[records.length - 1] = { ...last, follow_ups: last.follow_ups.map((followUp) => ({ ...followUp })) };
  return { ...progress, records };
}

export function questionsAsked(progress: InterviewProgress): number {
  const followUps = progress.records.reduce((total, record) => total + record.follow_ups.length, 0);
  return progress.records.length + followUps + (progress.pending_follow_up === null ? 0 : 1);
}

export function openTurn(snapshot: InterviewSnapshot, now: Date): Turn {
  const language = snapshot.plan.language;
  const previous = [...snapshot.history].reverse().find((turn) => turn.interviewer.trim() !== '');
  const name = snapshot.candidate.name?.trim();
  return {
    snapshot,
    now,
    language,
    phrases: phrasebookFor(language),
    progress: copyProgress(snapshot.progress),
    sentences: [],
    rotation: questionsAsked(snapshot.progress),
    previousReply: previous?.interviewer,
    candidateName: name === undefined || name === '' ? undefined : name,
  };
}

/** Adds one variant of a phrase to the reply. */
export function say(turn: Turn, variants: readonly string[], purpose: string, values?: Readonly<Record<string, string>>): void {
  turn.sentences.push(
    pickPhrase(variants, {
      seed: `${turn.snapshot.session_id}:${purpose}`,
      rotation: turn.rotation,
      avoid: turn.previousReply,
      values,
      language: turn.language,
    }),
  );
}

export function conclude(turn: Turn, flags: { follow_up?: boolean; ended?: boolean } = {}): TurnOutcome {
  return {
    reply: joinSentences(turn.sentences, turn.language),
    progress: turn.progress,
    follow_up: flags.follow_up ?? false,
    ended: flags.ended ?? false,
  };
}

/** Whether `max_minutes` have passed since the interview started (by the request's clock). */
export function isTimeUp(turn: Turn): boolean {
  const startedAt = turn.progress.started_at;
  if (startedAt === null) return false;
  const elapsed = turn.now.getTime() - Date.parse(startedAt);
  return elapsed >= turn.snapshot.settings.max_minutes * 60_000;
}

/** The record of the main question awaiting an answer, if there is one. */
export function currentRecord(turn: Turn): AnswerRecord | undefined {
  const question = turn.snapshot.plan.questions[turn.progress.current_index];
  const record = turn.progress.records.at(-1);
  return question !== undefined && record?.question_id === question.id ? record : undefined;
}

/** The next plan question after the current one that was never asked (a plan may repeat itself). */
export function nextQuestionIndex(turn: Turn): number | undefined {
  const asked = new Set(turn.progress.records.map((record) => record.question));
  const questions = turn.snapshot.plan.questions;
  for (let index = turn.progress.current_index + 1; index < questions.length; index++) {
    const question = questions[index];
    if (question !== undefined && !asked.has(question.text)) return index;
  }
  return undefined;
}
