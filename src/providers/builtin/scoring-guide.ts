import type { Language, ScoringGuide, StageName } from '@viva/protocol/interview-schemas.js';
import type { PlannedQuestion } from '../../interview/interview-types.js';
import { stageScoringGuide } from '../../interview/rules/scoring-guide.js';
import type { QuestionScore } from './answer-scoring.js';
import { findBankQuestion } from './question-bank-registry.js';
import type { BankQuestion } from './question-bank-types.js';

/**
 * The built-in engine's scoring guides (the lines are the domain's, rules/scoring-guide.ts): a bank
 * question's guide names its points, and the report says which level of the guide each answer met and why.
 */

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
  return stageScoringGuide({ stage: question.stage, points: bankQuestionPoints(question, language), capped }, language);
}

/**
 * The built-in guide of any planned question: the bank's when it came from a bank, else one from its
 * stage alone (a model's question whose guide was missing or unusable, or a plan stored before guides).
 */
export function derivedScoringGuide(question: Pick<PlannedQuestion, 'id' | 'stage'>, language: Language): ScoringGuide | undefined {
  const bankQuestion = findBankQuestion(question.id);
  if (bankQuestion !== undefined) return bankScoringGuide(bankQuestion, language);
  return stageScoringGuide({ stage: question.stage, points: [], capped: false }, language);
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
