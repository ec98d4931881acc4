import type { Language } from '@viva/protocol/interview-schemas.js';
import type { QuestionScore } from './answer-scoring.js';
import { fillTemplate } from './text-tools.js';

/** The facts a report's summary, strengths and concerns are written from. Shares are 0 to 1 of answered questions. */
export interface ReportFacts {
  candidateName: string | undefined;
  role: string;
  level: string;
  /** Planned questions that assess the candidate (the candidate's own questions excluded). */
  plannedAssessed: number;
  /** Main questions the plan and budget allowed (the number the greeting says), and how many were asked. */
  plannedTotal: number;
  /** Whether the candidate said anything at their own turn (it counts among the planned questions answered). */
  respondedAtEnd: boolean;
  asked: number;
  answered: number;
  skipped: number;
  unknown: number;
  overall: number;
  strongest: { name: string; score: number } | undefined;
  weakest: { name: string; score: number } | undefined;
  strongCompetencies: string[];
  weakCompetencies: string[];
  /** Shares of all answers, for concerns: an example in a recycled answer still is not a general answer. */
  exampleShare: number;
  outcomeShare: number;
  /**
   * Shares of all answers counting only those that earned credit (on topic, not recycled, scored 3 or
   * more), for strengths: a buzzword paragraph pasted everywhere must not read as "grounds answers in
   * concrete examples".
   */
  credited: { examples: number; exampleShare: number; outcomeShare: number; structureShare: number };
  averageWords: number;
  firstMetric: string | undefined;
  followedUp: number;
  askedQuestionsAtEnd: boolean;
  ending: 'complete' | 'time_ran_out' | 'ended_early';
}

/**
 * Planned questions answered, counted as the greeting counted them ("about 6 questions" includes the
 * candidate's own turn at the end), so "answered N of the M planned" agrees with what the candidate heard.
 */
function answeredOfPlanned(facts: ReportFacts): number {
  return facts.answered + (facts.respondedAtEnd ? 1 : 0);
}

export interface ReportWording {
  methodNote: string;
  notes(score: QuestionScore, stage: string, followUps: number): string;
  summary(facts: ReportFacts): string;
  strengths(facts: ReportFacts): string[];
  concerns(facts: ReportFacts): string[];
}

/** Overall score bands, shared by both languages so the summary always agrees with the recommendation. */
function band(overall: number): 'excellent' | 'solid' | 'mixed' | 'thin' {
  if (overall >= 4.3) return 'excellent';
  if (overall >= 3.5) return 'solid';
  if (overall >= 2.5) return 'mixed';
  return 'thin';
}

const ENGLISH_LEVELS: Readonly<Record<string, string>> = {
  junior: 'junior level',
  mid: 'mid level',
  senior: 'senior level',
  lead: 'lead level',
};

const ENGLISH_BANDS = {
  excellent: 'Answers were consistently detailed and backed by concrete examples and results.',
  solid: 'Answers were generally solid, with concrete examples in most of them.',
  mixed: 'Answers were mixed: some were specific, others stayed general or left out the results.',
  thin: 'Most answers were brief or general, which left little evidence to go on.',
} as const;

// competency names may contain "and" themselves ("background and motivation"), so lists use commas only
function englishList(items: readonly string[]): string {
  return items.join(', ');
}

const ENGLISH: ReportWording = {
  methodNote:
    'Scored by the built-in engine with simple heuristics: answer length, concrete examples, outcomes and metrics, structure, and keywords relevant to each question. The scores describe the answers as written, not the person, and are meant as a starting point for a human reviewer.',
  notes(score, stage, followUps) {
    switch (score.status) {
      case 'candidate_questions':
        return "Not scored: this was the candidate's turn to ask about the role and the team.";
      case 'skipped':
        return 'Not scored: the candidate chose to skip this question.';
      case 'unanswered':
        return 'Not scored: the interview ended before this question was answered.';
      case 'unknown':
        return 'Scored 1: the candidate said they did not know, so there is nothing to assess here; saying so openly is better than guessing.';
      case 'answered':
        break;
    }
    const { analysis, size } = score;
    const length =
      analysis.words < 20 ? `A short answer (${size.words} words)` : analysis.words < 50 ? `An answer of moderate length (${size.words} words)` : `A detailed answer (${size.words} words)`;
    const concrete = score.concrete
      ? analysis.hasExample
        ? ' built on a concrete example'
        : ' that reasons through the problem step by step'
      : ' without a concrete example';
    const sentences = [`${length}${concrete}.`];
    if (stage !== 'opening') {
      // a result is the last figure of an answer that states one ("from 200 ms to 40 ms": the 40 ms), never its baseline
      const metric = analysis.hasOutcome ? analysis.metrics.at(-1) : undefined;
      sentences.push(
        metric !== undefined
          ? `It states a measurable result (${metric}).`
          : score.outcome
            ? analysis.hasOutcome
              ? 'It says how things turned out or what was learned.'
              : 'It covers the question thoroughly.'
            : 'It does not say what the outcome was or what was learned.',
      );
    }
    if (analysis.hasStructure) sentences.push('The reasoning is easy to follow.');
    else if (analysis.words >= 20) sentences.push('The structure could be clearer.');
    if (score.relevantTerms.length > 0) sentences.push(`Relevant points covered: ${score.relevantTerms.slice(0, 4).join(', ')}.`);
    if (followUps > 0) {
      sentences.push(`${followUps === 1 ? 'One follow-up was' : `${followUps} follow-ups were`} needed to get specifics; the score counts those answers too.`);
    }
    return sentences.join(' ');
  },
  summary(facts) {
    const who = facts.candidateName ?? 'The candidate';
    const level = ENGLISH_LEVELS[facts.level] ?? facts.level;
    if (facts.answered === 0 && facts.unknown === 0) {
      return `${who} interviewed for the ${facts.role} role (${level}). The interview ended before any question was answered, so there is no evidence to assess yet.`;
    }
    const sentences = [
      `${who} interviewed for the ${facts.role} role (${level}) and answered ${answeredOfPlanned(facts)} of the ${facts.plannedTotal} planned questions.`,
      ENGLISH_BANDS[band(facts.overall)],
    ];
    if (facts.strongest !== undefined && facts.weakest !== undefined && facts.strongest.name !== facts.weakest.name) {
      sentences.push(
        `The strongest area was ${facts.strongest.name} (${facts.strongest.score}/5) and the weakest ${facts.weakest.name} (${facts.weakest.score}/5).`,
      );
    }
    sentences.push(`On these heuristics the overall score is ${facts.overall} out of 5.`);
    return sentences.join(' ');
  },
  strengths(facts) {
    const strengths: string[] = [];
    if (facts.answered === 0) return strengths;
    if (facts.credited.exampleShare >= 0.6) {
      strengths.push(`Grounds answers in concrete examples from their own work (${facts.credited.examples} of ${facts.answered} answers).`);
    }
    if (facts.credited.outcomeShare >= 0.5) {
      strengths.push(
        facts.firstMetric !== undefined
          ? `Talks about results, with figures such as "${facts.firstMetric}".`
          : 'Talks about results and what they learned.',
      );
    }
    if (facts.credited.structureShare >= 0.6 && facts.averageWords >= 40) strengths.push('Gives well-structured, detailed answers.');
    if (facts.strongCompetencies.length > 0) strengths.push(`Strong showing in ${englishList(facts.strongCompetencies)}.`);
    if (facts.askedQuestionsAtEnd) strengths.push('Asked about the role or the team at the end, a sign of genuine interest.');
    return strengths;
  },
  concerns(facts) {
    const concerns: string[] = [];
    if (facts.answered === 0 && facts.unknown === 0) concerns.push('No question was answered, so nothing can be assessed yet.');
    if (facts.answered > 0) {
      if (facts.exampleShare < 0.4) concerns.push('Answers often stayed general, without a concrete example.');
      if (facts.outcomeShare < 0.4) concerns.push('Rarely described results, metrics or lessons learned.');
      if (facts.averageWords < 20) concerns.push('Answers were mostly very short.');
      if (facts.followedUp >= 2 && facts.followedUp * 2 >= facts.answered) {
        concerns.push(`Needed follow-up questions to get specifics on ${facts.followedUp} of ${facts.answered} answers.`);
      }
    }
    if (facts.skipped > 0) concerns.push(facts.skipped === 1 ? 'Skipped one question.' : `Skipped ${facts.skipped} questions.`);
    if (facts.unknown > 0) {
      concerns.push(
        facts.unknown === 1
          ? 'Said they did not know the answer to one question.'
          : `Said they did not know the answer to ${facts.unknown} questions.`,
      );
    }
    if (facts.weakCompetencies.length > 0) concerns.push(`Weaker on ${englishList(facts.weakCompetencies)}.`);
    if (facts.ending === 'ended_early') {
      concerns.push(`The interview ended early, after ${facts.asked} of ${facts.plannedTotal} planned questions.`);
    } else if (facts.ending === 'time_ran_out') {
      concerns.push(`Time ran out after ${facts.asked} of ${facts.plannedTotal} planned questions.`);
    }
    return concerns;
  },
};

const CHINESE_LEVELS: Readonly<Record<string, string>> = { junior: '初级', mid: '中级', senior: '高级', lead: '负责人级' };

const CHINESE_BANDS = {
  excellent: '回答普遍详实，并且有具体的例子和结果支撑。',
  solid: '回答总体扎实，大部分都结合了具体的例子。',
  mixed: '回答质量参差不齐：有些比较具体，有些停留在泛泛而谈，或者没有交代结果。',
  thin: '大多数回答比较简短或笼统，可供判断的信息有限。',
} as const;

const CHINESE_COUNTS = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

function chineseCount(count: number): string {
  return CHINESE_COUNTS[count] ?? String(count);
}

const CHINESE: ReportWording = {
  methodNote:
    '本报告由内置引擎按简单的启发式规则打分：回答长度、是否有具体例子、是否提到结果或数据、表达是否有条理，以及是否涉及与问题相关的关键词。分数只反映回答文本本身，并不是对候选人本人的评判，仅供人工评估时参考。',
  notes(score, stage, followUps) {
    switch (score.status) {
      case 'candidate_questions':
        return '不计分：这是候选人向我们提问的环节。';
      case 'skipped':
        return '不计分：候选人选择跳过了这个问题。';
      case 'unanswered':
        return '不计分：面试在这个问题得到回答之前就结束了。';
      case 'unknown':
        return '计 1 分：候选人表示不清楚，因此没有可评估的内容；坦诚说明比勉强作答要好。';
      case 'answered':
        break;
    }
    const { analysis, size } = score;
    const length =
      analysis.words < 20 ? `回答较简短（约${size.characters}字）` : analysis.words < 50 ? `回答长度适中（约${size.characters}字）` : `回答较详细（约${size.characters}字）`;
    const concrete = score.concrete ? (analysis.hasExample ? '，结合了具体的例子' : '，对思路做了逐步分析') : '，缺少具体的例子';
    const sentences = [`${length}${concrete}。`];
    if (stage !== 'opening') {
      // a result is the last figure of an answer that states one ("from 200 ms to 40 ms": the 40 ms), never its baseline
      const metric = analysis.hasOutcome ? analysis.metrics.at(-1) : undefined;
      sentences.push(
        metric !== undefined
          ? `给出了可量化的结果（${metric}）。`
          : score.outcome
            ? analysis.hasOutcome
              ? '说明了最终结果或收获。'
              : '对问题的覆盖比较完整。'
            : '没有提到结果，也没有谈到从中学到了什么。',
      );
    }
    if (analysis.hasStructure) sentences.push('条理清晰。');
    else if (analysis.words >= 20) sentences.push('条理可以更清楚一些。');
    if (score.relevantTerms.length > 0) sentences.push(`涉及的相关要点：${score.relevantTerms.slice(0, 4).join('、')}。`);
    if (followUps > 0) sentences.push(`经过${chineseCount(followUps)}次追问才补充了具体细节，评分也计入了这些回答。`);
    return sentences.join('');
  },
  summary(facts) {
    const who = facts.candidateName ?? '候选人';
    const level = CHINESE_LEVELS[facts.level] ?? facts.level;
    const opening = fillTemplate(`${who}应聘{role}岗位（${level}）`, { role: facts.role }, 'zh');
    if (facts.answered === 0 && facts.unknown === 0) {
      return `${opening}。面试在回答任何问题之前就结束了，目前还没有可评估的内容。`;
    }
    const sentences = [`${opening}，在计划的${facts.plannedTotal}个问题中回答了${answeredOfPlanned(facts)}个。`, CHINESE_BANDS[band(facts.overall)]];
    if (facts.strongest !== undefined && facts.weakest !== undefined && facts.strongest.name !== facts.weakest.name) {
      sentences.push(
        `表现最好的是“${facts.strongest.name}”（${facts.strongest.score}/5），相对薄弱的是“${facts.weakest.name}”（${facts.weakest.score}/5）。`,
      );
    }
    sentences.push(`按上述启发式规则，综合得分为 ${facts.overall} 分（满分 5 分）。`);
    return sentences.join('');
  },
  strengths(facts) {
    const strengths: string[] = [];
    if (facts.answered === 0) return strengths;
    if (facts.credited.exampleShare >= 0.6) {
      strengths.push(`善于用亲身经历的具体例子来回答问题（${facts.answered}个回答中有${facts.credited.examples}个）。`);
    }
    if (facts.credited.outcomeShare >= 0.5) {
      strengths.push(
        facts.firstMetric !== undefined ? `会主动谈到结果，并给出“${facts.firstMetric}”这样的具体数据。` : '会主动谈到结果和收获。',
      );
    }
    if (facts.credited.structureShare >= 0.6 && facts.averageWords >= 40) strengths.push('回答有条理，内容充实。');
    if (facts.strongCompetencies.length > 0) strengths.push(`在${facts.strongCompetencies.join('、')}方面表现突出。`);
    if (facts.askedQuestionsAtEnd) strengths.push('最后主动询问了岗位或团队的情况，表现出真诚的兴趣。');
    return strengths;
  },
  concerns(facts) {
    const concerns: string[] = [];
    if (facts.answered === 0 && facts.unknown === 0) concerns.push('没有回答任何问题，目前无法评估。');
    if (facts.answered > 0) {
      if (facts.exampleShare < 0.4) concerns.push('回答常常停留在概括层面，缺少具体的例子。');
      if (facts.outcomeShare < 0.4) concerns.push('很少提到结果、数据或从中得到的收获。');
      if (facts.averageWords < 20) concerns.push('回答大多比较简短。');
      if (facts.followedUp >= 2 && facts.followedUp * 2 >= facts.answered) {
        concerns.push(`${facts.answered}个回答中有${facts.followedUp}个需要追问才补充出具体细节。`);
      }
    }
    if (facts.skipped > 0) concerns.push(`跳过了${chineseCount(facts.skipped)}个问题。`);
    if (facts.unknown > 0) concerns.push(`有${chineseCount(facts.unknown)}个问题表示不清楚。`);
    if (facts.weakCompetencies.length > 0) concerns.push(`在${facts.weakCompetencies.join('、')}方面相对薄弱。`);
    if (facts.ending === 'ended_early') {
      concerns.push(`面试提前结束，计划的${facts.plannedTotal}个问题只进行了${facts.asked}个。`);
    } else if (facts.ending === 'time_ran_out') {
      concerns.push(`时间用完时，计划的${facts.plannedTotal}个问题只进行了${facts.asked}个。`);
    }
    return concerns;
  },
};

const WORDINGS: Readonly<Record<Language, ReportWording>> = { en: ENGLISH, zh: CHINESE };

export function reportWordingFor(language: Language): ReportWording {
  return WORDINGS[language];
}
