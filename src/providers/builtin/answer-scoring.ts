import type { AnswerRecord } from '../../interview/interview-types.js';
import { analyzeAnswer } from './answer-analysis.js';
import type { AnswerAnalysis } from './answer-analysis.js';
import { isRecycled } from './answer-judgement.js';
import type { BasisKey } from './answer-judgement.js';
import { keywordsMentioned } from './keyword-matching.js';
import { findBankQuestion } from './question-bank-registry.js';
import { countCjkCharacters, countLatinWords } from './text-tools.js';

/** How a recorded question came out, before it is worded for the report. */
export type QuestionStatus = 'answered' | 'unknown' | 'skipped' | 'unanswered' | 'candidate_questions';

export interface QuestionScore {
  status: QuestionStatus;
  /** 1 to 5, or null when there is nothing to score (skipped, never answered, the candidate's own questions). */
  score: number | null;
  /** The main answer and the follow-up answers together. */
  fullAnswer: string;
  analysis: AnswerAnalysis;
  /** The criteria as applied to this question's stage (a long reasoned technical answer needs no anecdote). */
  concrete: boolean;
  outcome: boolean;
  /** Question keywords the answer mentions, spelled as in the bank. */
  relevantTerms: string[];
  /** Whether the question had bank keywords, so "none mentioned" means something. */
  hasRelevanceTerms: boolean;
  /** Characters for Chinese answers, words otherwise, for the notes. */
  size: { words: number; characters: number };
  /** The same answer was given to another question: scored 1, never evidence. */
  recycled: boolean;
  /** Which heuristics decided the score (the report shows them). */
  basis: BasisKey[];
}

/** A technical answer this long and laid out step by step counts as concrete reasoning without an anecdote. */
const REASONED_TECHNICAL_WORDS = 60;
/** A technical answer this long counts as complete without stated results or trade-off words. */
const COMPLETE_TECHNICAL_WORDS = 80;
/**
 * Highest score for an answer given only after a hint: the one place the hint counts (it is neither an
 * "I don't know" nor a skipped question once answered).
 */
const HINTED_CAP = 3;
/** Highest score for an answer that mentions none of the question's bank keywords: polish is not relevance. */
const OFF_TOPIC_CAP = 2;

const STOP_WORDS = new Set([
  'about', 'after', 'again', 'would', 'could', 'should', 'there', 'their', 'which', 'where', 'while',
  'these', 'those', 'thing', 'things', 'someone', 'something', 'other', 'others', 'every', 'really',
  'describe', 'explain', 'think', 'still', 'tell', 'through', 'what', 'when', 'with', 'your', 'yourself',
  // how questions are asked, not what they are about: listed under "relevant points" they would be noise
  'approach', 'specific', 'particular', 'happen', 'happened', 'happens', 'check', 'first', 'situation', 'example',
  'handle', 'handled', 'decide', 'decided', 'choose', 'chose', 'different', 'important', 'usually', 'typically',
  'recent', 'recently', 'start', 'started', 'walk', 'share', 'might', 'being', 'doing', 'going', 'worked', 'working',
  'time', 'times', 'later', 'before', 'since', 'ensure', 'make', 'makes', 'made', 'kind', 'kinds',
]);
const CHINESE_FILLER = /你的|一个|什么|怎么|如果|我们|时候|哪些|这个|可以|具体|一下|一次|经历|讲讲|说说|是否|还是|自己|当时|为什么|有没有|能不能|你会|会怎么/g;

/**
 * Terms that make an answer on topic: the bank's keywords when the question came from a bank, else the
 * question's own longer words (and two-character Chinese terms), so questions written by a model work too.
 */
function relevanceTerms(record: AnswerRecord): { terms: readonly string[]; fromBank: boolean } {
  const bankKeywords = findBankQuestion(record.question_id)?.keywords;
  if (bankKeywords !== undefined && bankKeywords.length > 0) return { terms: bankKeywords, fromBank: true };
  const latin = (record.question.toLowerCase().match(/[a-z][a-z-]{4,}/g) ?? []).filter((word) => !STOP_WORDS.has(word));
  const chinese = record.question
    .replace(CHINESE_FILLER, ' ')
    .split(/[^\u4e00-\u9fff]+/)
    .flatMap((run) => Array.from({ length: Math.max(0, run.length - 1) }, (_, index) => run.slice(index, index + 2)));
  return { terms: [...new Set([...latin, ...chinese])], fromBank: false };
}

/**
 * Points from the criteria, then rounded down: halves never round up, so a 5 needs nearly every
 * criterion (length, example, outcome, a figure or structure, relevance) and a bare claim stays at 1.
 */
function scoreAnswered(
  analysis: AnswerAnalysis,
  stage: AnswerRecord['stage'],
  criteria: { concrete: boolean; outcome: boolean; relevant: number; hasRelevanceTerms: boolean; recycled: boolean },
): { score: number; basis: BasisKey[] } {
  let points = 1;
  const basis: BasisKey[] = [];
  const add = (key: BasisKey, value: number) => {
    points += value;
    if (!basis.includes(key)) basis.push(key);
  };
  if (criteria.recycled) return { score: 1, basis: ['recycled_cap'] };
  if (stage === 'opening') {
    // "tell me about yourself" is a warm-up, judged on substance and clarity, not on results
    basis.push('opening');
    if (analysis.words >= 15) add('length', 1);
    if (analysis.words >= 30) add('length', 1);
    if (analysis.words >= 60) add('length', 0.5);
    if (analysis.hasExample || analysis.hasBackground) add('example', 1);
    if (analysis.hasStructure) add('structure', 0.5);
    return { score: Math.min(5, Math.max(1, Math.floor(points))), basis };
  }
  if (analysis.words >= 20) add('length', 0.5);
  if (analysis.words >= 50) add('length', 0.5);
  if (criteria.concrete) add('example', 1);
  if (criteria.outcome) add('outcome', 1);
  if (analysis.metrics.length > 0) add('figure', 0.5);
  if (analysis.hasStructure) add('structure', 0.5);
  if (criteria.relevant > 0) add('on_topic', 0.5);
  const score = Math.min(5, Math.max(1, Math.floor(points)));
  // an answer that never touches what the question is about cannot be good, however polished
  if (criteria.hasRelevanceTerms && criteria.relevant === 0 && score > OFF_TOPIC_CAP) return { score: OFF_TOPIC_CAP, basis: [...basis, 'off_topic_cap'] };
  return { score, basis };
}

/**
 * Scores one question from the text alone: relevance first (the question's terms; an answer given to
 * another question too is capped at 1, `others` being those answers), then a concrete example, an
 * outcome, structure and length.
 */
export function scoreQuestion(record: AnswerRecord, others: readonly string[] = []): QuestionScore {
  const fullAnswer = [record.answer, ...record.follow_ups.map((followUp) => followUp.answer)]
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n');
  const analysis = analyzeAnswer(fullAnswer);
  const technical = record.stage === 'technical';
  const concrete = analysis.hasExample || (technical && analysis.words >= REASONED_TECHNICAL_WORDS && analysis.hasStructure);
  const outcome = analysis.hasOutcome || (technical && analysis.words >= COMPLETE_TECHNICAL_WORDS);
  const relevance = relevanceTerms(record);
  const relevantTerms = keywordsMentioned(fullAnswer, relevance.terms);
  const size = {
    words: Math.round(analysis.words),
    characters: countCjkCharacters(fullAnswer) + countLatinWords(fullAnswer),
  };
  const recycled = record.stage !== 'candidate_questions' && isRecycled(record.answer, others);
  const base = { fullAnswer, analysis, concrete, outcome, relevantTerms, hasRelevanceTerms: relevance.fromBank, size, recycled, basis: [] };

  if (record.stage === 'candidate_questions') return { ...base, status: 'candidate_questions', score: null };
  if (record.skipped) return { ...base, status: 'skipped', score: null };
  if (record.unknown) return { ...base, status: 'unknown', score: 1, basis: ['unknown'] };
  if (record.answer.trim() === '') return { ...base, status: 'unanswered', score: null };
  const { score, basis } = scoreAnswered(analysis, record.stage, {
    concrete,
    outcome,
    relevant: relevantTerms.length,
    hasRelevanceTerms: relevance.fromBank,
    recycled,
  });
  const hinted = record.follow_ups.some((followUp) => followUp.kind === 'hint');
  if (hinted && score > HINTED_CAP) return { ...base, status: 'answered', score: HINTED_CAP, basis: [...basis, 'hinted_cap'] };
  return { ...base, status: 'answered', score, basis: basis.length === 0 ? ['nothing'] : basis };
}
