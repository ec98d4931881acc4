import type { AnswerRecord, Language } from '../../interview/interview-types.js';
import { keywordsMentioned } from './keyword-matching.js';
import { findBankQuestion } from './question-bank-registry.js';

/**
 * Relevance before form: whether an answer is about its question, and whether the same answer was given
 * to another question. Length, figures and buzzwords earn nothing when either check fails; the scorer
 * caps such an answer and the interviewer does not praise it.
 */

/** Two answers sharing this share of their words (and long enough to mean it) are the same answer. */
const RECYCLED_SIMILARITY = 0.6;
const RECYCLED_MIN_TOKENS = 12;

function tokens(text: string): Set<string> {
  const latin = text.toLowerCase().match(/[a-z0-9][a-z0-9'+#.-]*/g) ?? [];
  const cjk = text.match(/[\u4e00-\u9fff]/g) ?? [];
  return new Set([...latin, ...cjk]);
}

function similarity(left: Set<string>, right: Set<string>): number {
  let shared = 0;
  for (const token of left) if (right.has(token)) shared++;
  return shared / Math.max(1, left.size + right.size - shared);
}

/** Whether `answer` repeats one of `others` (another question's answer) nearly word for word. */
export function isRecycled(answer: string, others: readonly string[]): boolean {
  const mine = tokens(answer);
  if (mine.size < RECYCLED_MIN_TOKENS) return false;
  return others.some((other) => {
    const theirs = tokens(other);
    return theirs.size >= RECYCLED_MIN_TOKENS && similarity(mine, theirs) >= RECYCLED_SIMILARITY;
  });
}

/** The main answers of every other question, for isRecycled. */
export function otherAnswers(records: readonly AnswerRecord[], record: AnswerRecord): string[] {
  return records.filter((other) => other !== record && other.question_id !== record.question_id).map((other) => other.answer).filter((answer) => answer.trim() !== '');
}

/**
 * Whether an answer touches what its question asks about: one of the bank question's terms. A question
 * without bank terms (a model's, a skill question) cannot be checked this way and counts as on topic.
 */
export function isOnTopic(record: AnswerRecord, answer: string): boolean {
  const keywords = findBankQuestion(record.question_id)?.keywords ?? [];
  return keywords.length === 0 || keywordsMentioned(answer, keywords).length > 0;
}

/** Words for the report's `basis`: which heuristics decided a score. */
export type BasisKey =
  | 'length'
  | 'example'
  | 'outcome'
  | 'figure'
  | 'structure'
  | 'on_topic'
  | 'off_topic_cap'
  | 'recycled_cap'
  | 'unknown'
  | 'hinted_cap'
  | 'opening'
  | 'nothing';

const BASIS_WORDS: Readonly<Record<Language, Readonly<Record<BasisKey, string>>>> = {
  en: {
    length: 'length of the answer',
    example: 'a concrete example of their own',
    outcome: 'a stated outcome',
    figure: 'a figure',
    structure: 'reasoning laid out step by step',
    on_topic: 'terms of the question mentioned',
    off_topic_cap: 'capped at 2: none of the question’s terms mentioned',
    recycled_cap: 'capped at 1: the same answer was given to another question',
    unknown: 'said they did not know',
    hinted_cap: 'capped at 3: answered only after a hint',
    opening: 'warm-up question: substance and background only',
    nothing: 'none of the criteria met',
  },
  zh: {
    length: '回答的篇幅',
    example: '有自己的具体例子',
    outcome: '说明了结果',
    figure: '有具体数据',
    structure: '有条理地展开',
    on_topic: '提到了问题相关的要点',
    off_topic_cap: '上限 2 分：没有提到问题相关的任何要点',
    recycled_cap: '上限 1 分：与另一题的回答相同',
    unknown: '表示不知道',
    hinted_cap: '上限 3 分：在提示之后才作答',
    opening: '热身问题：只看内容和背景',
    nothing: '没有满足任何评分要点',
  },
};

export function basisWords(keys: readonly BasisKey[], language: Language): string[] {
  return keys.map((key) => BASIS_WORDS[language][key]);
}
