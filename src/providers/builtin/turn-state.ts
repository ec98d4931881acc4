import type { InterviewSnapshot, Language } from '../../interview/interview-types.js';
import { questionsAsked } from '../../interview/rules/turn-rules.js';
import type { TurnDecision } from '../../interview/rules/turn-rules.js';
import { pickPhrase } from './reply-phrase-picker.js';
import { phrasebookFor } from './reply-phrasing.js';
import type { Phrasebook } from './reply-phrasing.js';
import { joinSentences } from './text-tools.js';

/**
 * The words of one built-in interviewer turn while they are being written, and the small operations
 * every part of a turn uses. Where the turn leaves the interview is the domain's (rules/turn-rules.ts).
 */

/** What one built-in turn says and decides. */
export interface TurnOutcome {
  reply: string;
  decision: TurnDecision;
}

export interface Turn {
  snapshot: InterviewSnapshot;
  language: Language;
  phrases: Phrasebook;
  /** The reply so far, sentence by sentence. */
  sentences: string[];
  /** Questions asked before this turn (main and follow-up); varies phrasing between turns. */
  rotation: number;
  /** The last interviewer reply, so a phrase is not said twice in a row. */
  previousReply: string | undefined;
  candidateName: string | undefined;
}

export function openTurn(snapshot: InterviewSnapshot): Turn {
  const language = snapshot.plan.language;
  // from the end, without copying: a long interview's history is read on every turn
  const previous = snapshot.history.findLast((turn) => turn.interviewer.trim() !== '');
  const name = snapshot.candidate.name?.trim();
  return {
    snapshot,
    language,
    phrases: phrasebookFor(language),
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

export function conclude(turn: Turn, decision: TurnDecision = { kind: 'next' }): TurnOutcome {
  return { reply: joinSentences(turn.sentences, turn.language), decision };
}
