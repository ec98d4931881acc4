import type { Language, ScoringGuide, StageName } from '@viva/protocol/interview-schemas.js';

/**
 * Scoring guides: what a 1, a 3 and a 5 answer to a question contain. The evaluator scores against a
 * question's guide and the hiring team's report shows it; the candidate never sees it.
 *
 * These lines say what the built-in heuristics (src/providers/builtin/answer-scoring.ts) actually check
 * for each stage: length, an example of the candidate's own, a stated result, reasoning laid out, the
 * question's terms. A guide promising more than the code checks would make every score look better
 * founded than it is. Both engines use them: the built-in one with the bank's points, the model engine
 * when its planner wrote no usable guide for a question.
 *
 * Word counts are those of answer-scoring.ts (50 words for a full story, 80 for a complete technical
 * explanation, 30 and 60 for an introduction); Chinese answers are measured at 1.6 characters a word
 * (rules/word-measure.ts), hence 50, 80, 100 and 130 characters.
 */

const ALL_OF: Readonly<Record<Language, (points: readonly string[]) => string>> = {
  en: (points) => points.join('; '),
  zh: (points) => points.join('；'),
};

export interface GuideFacts {
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

/** The guide for a question of `stage` (none for the candidate's own questions and the closing: they are not scored). */
export function stageScoringGuide(facts: GuideFacts, language: Language): ScoringGuide | undefined {
  const lines = language === 'zh' ? chineseLines(facts) : englishLines(facts);
  if (lines === undefined) return undefined;
  return [
    { score: 1, description: lines[1] },
    { score: 3, description: lines[3] },
    { score: 5, description: lines[5] },
  ];
}
