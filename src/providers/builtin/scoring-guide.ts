import type { Language, ScoringGuide, StageName } from '@viva/protocol/interview-schemas.js';
import type { PlannedQuestion } from '../../interview/interview-types.js';
import type { QuestionScore } from './answer-scoring.js';
import { findBankQuestion } from './question-bank-registry.js';
import type { BankQuestion } from './question-bank-types.js';

/**
 * Scoring guides the built-in engine can keep: each line says what the heuristics of answer-scoring.ts
 * actually check for that stage (length, an example of the candidate's own, a stated result, reasoning
 * laid out, the question's terms), with the question's points in readable words. A guide promising more
 * than the code checks would make every score look better founded than it is.
 *
 * Word counts are those of answer-scoring.ts (50 words for a full story, 80 for a complete technical
 * explanation, 30 and 60 for an introduction); Chinese answers are measured at 1.6 characters a word,
 * hence 50, 80, 100 and 130 characters.
 */

const ALL_OF: Readonly<Record<Language, (points: readonly string[]) => string>> = {
  en: (points) => points.join('; '),
  zh: (points) => points.join('；'),
};

interface GuideFacts {
  stage: StageName;
  /** What a good answer covers, readable; empty when nothing is known beyond the question itself. */
  points: readonly string[];
  /** Whether an answer naming none of the question's terms is capped at 2 (bank questions with keywords). */
  capped: boolean;
}

type GuideLines = Readonly<Record<1 | 3 | 5, string>>;

function englishLines({ stage, points, capped }: GuideFacts): GuideLines | undefined {
  const about = points.length === 0 ? 'what the question asks' : ALL_OF.en(points);
  const off = capped
    ? `Does not address the question (names none of: ${about}; such an answer scores at most 2), says they don't know, answers in a sentence or two, or repeats an answer given to another question.`
    : "Does not address the question, says they don't know, answers in a sentence or two, or repeats an answer given to another question.";
  switch (stage) {
    case 'opening':
      return {
        5: `A full introduction of about 60 words or more, laid out in order, that says who they are professionally (${about}).`,
        3: `A short introduction of a few sentences with some background (${about}).`,
        1: 'A few words, or nothing about who they are and what they do.',
      };
    case 'experience':
    case 'behavioral':
      return {
        5: `An example of their own about ${about}, told step by step in some detail (about 50 words or more), that says how it turned out: a result, ideally a figure.`,
        3: `On topic (names some of: ${about}) in a few sentences, but stays general: no example of their own, or no result.`,
        1: off,
      };
    case 'technical':
      return {
        5: `Explains ${about} step by step (how and why, with the trade-offs) in some depth (about 80 words or more) or from an example of their own, with a result or a figure.`,
        3: `On topic (names some of: ${about}) with an explanation of a few sentences, but no reasoning laid out step by step, no example and no result.`,
        1: off,
      };
    case 'candidate_questions':
    case 'closing':
      return undefined;
  }
}

function chineseLines({ stage, points, capped }: GuideFacts): GuideLines | undefined {
  const about = points.length === 0 ? '问题所问的内容' : ALL_OF.zh(points);
  const off = capped
    ? `答非所问（没有提到：${about}；这样的回答最多 2 分），表示不知道，只有一两句话，或与另一题的回答重复。`
    : '答非所问，表示不知道，只有一两句话，或与另一题的回答重复。';
  switch (stage) {
    case 'opening':
      return {
        5: `完整、有条理的自我介绍（约 100 字以上），讲清楚自己的职业背景（${about}）。`,
        3: `几句话的简短介绍，提到了一些背景（${about}）。`,
        1: '只有寥寥几个字，或没有说明自己是谁、做什么。',
      };
    case 'experience':
    case 'behavioral':
      return {
        5: `用自己的亲身经历讲清楚${about}，有条理、有细节（约 80 字以上），并说明结果，最好有具体数据。`,
        3: `切题（提到了部分要点：${about}），讲了几句，但比较笼统：没有自己的具体例子，或没有说明结果。`,
        1: off,
      };
    case 'technical':
      return {
        5: `有条理地讲清楚${about}（怎么做、为什么、有哪些权衡），有一定深度（约 130 字以上）或结合自己的例子，并说明结果或给出数据。`,
        3: `切题（提到了部分要点：${about}），有几句解释，但没有一步步展开推理，也没有例子或结果。`,
        1: off,
      };
    case 'candidate_questions':
    case 'closing':
      return undefined;
  }
}

function guideOf(facts: GuideFacts, language: Language): ScoringGuide | undefined {
  const lines = language === 'zh' ? chineseLines(facts) : englishLines(facts);
  if (lines === undefined) return undefined;
  return [
    { score: 1, description: lines[1] },
    { score: 3, description: lines[3] },
    { score: 5, description: lines[5] },
  ];
}

const CJK = /[\u3400-\u9fff]/;

/**
 * A bank question's readable points in `language`; a question without written points (a skill question)
 * falls back to its keywords of that script, which are readable words there (a skill's name).
 */
export function bankQuestionPoints(question: BankQuestion, language: Language): readonly string[] {
  const written = question.points?.[language];
  if (written !== undefined && written.length > 0) return written;
  const keywords = question.keywords ?? [];
  const ofScript = keywords.filter((keyword) => CJK.test(keyword) === (language === 'zh'));
  return ofScript.length > 0 ? ofScript : keywords;
}

/** The guide of a bank question (none for the candidate's own questions: they are not scored). */
export function bankScoringGuide(question: BankQuestion, language: Language): ScoringGuide | undefined {
  // the scorer caps an answer naming none of the keywords only for questions it finds in the banks
  const capped = (question.keywords ?? []).length > 0 && findBankQuestion(question.id) === question;
  return guideOf({ stage: question.stage, points: bankQuestionPoints(question, language), capped }, language);
}

/**
 * The built-in guide of any planned question: the bank's when it came from a bank, else one from its
 * stage alone (a model's question whose guide was missing or unusable, or a plan stored before guides).
 */
export function derivedScoringGuide(question: Pick<PlannedQuestion, 'id' | 'stage'>, language: Language): ScoringGuide | undefined {
  const bankQuestion = findBankQuestion(question.id);
  if (bankQuestion !== undefined) return bankScoringGuide(bankQuestion, language);
  return guideOf({ stage: question.stage, points: [], capped: false }, language);
}

/** The guide a planned question carries, or the derived one when it carries none. */
export function scoringGuideOf(question: PlannedQuestion, language: Language): ScoringGuide | undefined {
  return question.scoring_guide !== undefined && question.scoring_guide.length > 0 ? question.scoring_guide : derivedScoringGuide(question, language);
}

/** `{ scoring_guide }` when there is a guide, else nothing (spread into a question or a report entry). */
export function scoringGuideEntry(guide: ScoringGuide | undefined): { scoring_guide?: ScoringGuide } {
  return guide === undefined ? {} : { scoring_guide: guide };
}

/** The guide level a score meets: 1, 3 or 5, or between two of them. */
function levelWords(score: number, language: Language): string {
  if (language === 'zh') {
    if (score >= 5) return '达到评分指南的 5 分标准';
    if (score === 4) return '介于评分指南的 3 分与 5 分之间';
    if (score === 3) return '达到评分指南的 3 分标准';
    if (score === 2) return '介于评分指南的 1 分与 3 分之间';
    return '符合评分指南的 1 分描述';
  }
  if (score >= 5) return 'met the guide’s 5';
  if (score === 4) return 'between the guide’s 3 and 5';
  if (score === 3) return 'met the guide’s 3';
  if (score === 2) return 'between the guide’s 1 and 3';
  return 'at the guide’s 1';
}

/**
 * One line for the report's `basis`: which guide level the answer met and why, from the same facts the
 * score came from (what it named of the question, an example, a result, the reasoning laid out).
 */
export function guideVerdict(result: QuestionScore, stage: StageName, language: Language): string | undefined {
  if (result.score === null || stage === 'candidate_questions' || stage === 'closing') return undefined;
  const level = levelWords(result.score, language);
  const zh = language === 'zh';
  if (result.recycled) return zh ? `${level}：与另一题的回答重复。` : `${level}: the same answer was given to another question.`;
  if (result.status === 'unknown') return zh ? `${level}：表示不知道。` : `${level}: said they did not know.`;
  const named = result.relevantTerms.slice(0, 4);
  const facts: string[] = [];
  // each criterion the score rested on, said as met or missed
  const note = (met: boolean, words: Readonly<Record<Language, readonly [string, string]>>) => facts.push(words[language][met ? 0 : 1]);
  if (stage === 'opening') {
    note(result.analysis.hasBackground || result.analysis.hasExample, { en: ['gave their background', 'no background'], zh: ['介绍了背景', '没有介绍背景'] });
    note(result.analysis.hasStructure, { en: ['laid out in order', 'not laid out in order'], zh: ['有条理', '条理不够清楚'] });
  } else {
    if (result.hasRelevanceTerms) {
      note(named.length > 0, {
        en: [`named ${named.join(', ')}`, 'named none of the question’s points'],
        zh: [`提到了 ${named.join('、')}`, '没有提到问题的任何要点'],
      });
    }
    note(result.concrete, { en: ['an example of their own', 'no example of their own'], zh: ['有自己的例子', '没有自己的例子'] });
    note(result.outcome, { en: ['a result', 'no result'], zh: ['说明了结果', '没有说明结果'] });
    note(result.analysis.hasStructure, { en: ['reasoning laid out', 'reasoning not laid out'], zh: ['推理有条理', '推理没有展开'] });
  }
  return zh ? `${level}：${facts.join('，')}。` : `${level}: ${facts.join('; ')}.`;
}
