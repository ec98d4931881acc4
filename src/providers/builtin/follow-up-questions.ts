import type { Language, StageName } from '@viva/protocol/interview-schemas.js';
import type { MissingAspect } from './answer-analysis.js';
import { extractShortQuote } from './quote-extraction.js';
import { seededShuffle } from './seeded-random.js';
import { fillTemplate } from './text-tools.js';

/**
 * Follow-up questions, each aimed at what an answer lacks. Stories (experience, behavioral) and
 * technical answers are probed differently: a story needs a real situation and how it ended, a
 * technical answer needs grounding in practice and a way to tell whether it works.
 */
type FollowUpKind =
  | 'detail_opening'
  | 'detail_story'
  | 'detail_technical'
  | 'example_story'
  | 'example_technical'
  | 'outcome_story'
  | 'outcome_technical';

const FOLLOW_UPS: Readonly<Record<Language, Readonly<Record<FollowUpKind, readonly string[]>>>> = {
  en: {
    detail_opening: [
      'Could you tell me a bit more? For instance, what have you been working on recently, and what are you looking for next?',
      "I'd love to hear a little more about your background. What kind of work have you enjoyed most so far?",
    ],
    detail_story: [
      'Could you expand on that a little? What did you do yourself, step by step?',
      'Can you say a bit more about how you went about it and what your part was?',
      "I'd like to understand that better. What were the main steps, and which of them did you own?",
    ],
    detail_technical: [
      "Could you go a bit deeper? Walk me through how you'd approach it, step by step.",
      'Can you expand on that? What would the main pieces be, and how would they fit together?',
      'Could you say more about the reasoning behind that approach?',
    ],
    example_story: [
      'Could you walk me through a specific time that happened? What was the situation, and what did you do yourself?',
      'Can you give me a concrete example from your own work, a particular project or moment?',
      'That helps in general terms. Could you pick one real situation and tell me what you did, step by step?',
      'Could you make that more concrete? Think of one specific case and describe your part in it.',
    ],
    example_technical: [
      'Have you applied this in practice? Tell me about a specific case: what the situation was and what you did.',
      'Could you make it concrete? Walk me through a real or realistic example, step by step.',
      'Can you ground that in an example from your own work, and how you handled it there?',
    ],
    outcome_story: [
      "How did it turn out in the end? Was there anything you measured, or something you'd do differently now?",
      'What was the result, and what did you take away from it?',
      'What impact did that have, ideally in numbers, and what did you learn from it?',
      'How did you know it had worked, and what would you change if you did it again?',
    ],
    outcome_technical: [
      "How would you know it's working? What would you measure, and what trade-offs would you watch?",
      'What are the trade-offs of that approach, and how would you measure whether it succeeded?',
      'If you did it that way, what result would you expect, and how would you verify it?',
    ],
  },
  zh: {
    detail_opening: [
      '能再多介绍一点吗？比如你最近主要在做什么，接下来想找什么样的机会？',
      '想再多了解一点你的背景：到目前为止，你最喜欢做哪类工作？',
    ],
    detail_story: [
      '能再展开讲讲吗？你自己具体做了哪些事，是怎么一步步推进的？',
      '可以多说一点吗？当时是怎么做的，你在其中承担了哪部分？',
      '我想了解得更清楚一些：主要有哪几个步骤，哪些是你亲自负责的？',
    ],
    detail_technical: [
      '能再深入讲讲吗？你会怎么一步步去做？',
      '可以展开说说吗？主要由哪几部分组成，它们之间怎么配合？',
      '能说说你选择这个思路背后的考虑吗？',
    ],
    example_story: [
      '能举一个具体的例子吗？比如当时是什么情况，你自己具体做了什么？',
      '可以说得再具体一点吗？挑一个你亲身经历的场景，讲讲你是怎么做的。',
      '能结合一个实际的项目或者某一次经历来讲讲吗？',
      '你能具体说说某一次真实的经历吗？当时的背景是什么，你承担了什么角色？',
    ],
    example_technical: [
      '这个在实际工作中你用过吗？可以结合一个具体的案例，讲讲当时是怎么做的。',
      '能举个具体的例子，一步一步讲讲吗？',
      '能结合你做过的某个项目，具体说说当时是怎么处理的吗？',
    ],
    outcome_story: [
      '最后结果怎么样？有没有可以量化的数据，或者事后复盘时的收获？',
      '这件事的结果如何？你从中学到了什么？',
      '带来了什么实际效果？如果有数据就更好了。另外你有什么体会？',
      '你是怎么判断这件事做成了的？如果再来一次，你会做哪些调整？',
    ],
    outcome_technical: [
      '你会怎么判断这个方案是有效的？会关注哪些指标，又有哪些取舍？',
      '这个方案有哪些权衡？上线后你会用什么指标来验证它的效果？',
      '如果这样做，你预期会有什么效果，打算怎么验证？',
    ],
  },
};

/** Last resort when every ready-made follow-up was already used: quote the candidate's own words. */
const QUOTING_FOLLOW_UPS: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'You mentioned "{quote}". Could you tell me about one specific situation where that came up, and how it turned out?',
  ],
  zh: ['你提到了“{quote}”。能具体讲讲一次相关的经历吗？最后结果如何？'],
};

function kindFor(aspect: MissingAspect, stage: StageName): FollowUpKind {
  if (stage === 'opening') return 'detail_opening';
  const flavour = stage === 'technical' ? 'technical' : 'story';
  return `${aspect}_${flavour}`;
}

const ASPECT_BY_TEXT: ReadonlyMap<string, MissingAspect> = new Map(
  Object.values(FOLLOW_UPS).flatMap((kinds) =>
    (Object.entries(kinds) as Array<[FollowUpKind, readonly string[]]>).flatMap(([kind, texts]) =>
      texts.map((text) => [text, kind.split('_')[0] as MissingAspect] as const),
    ),
  ),
);

/** The aspect a follow-up asked about, so a second follow-up asks for something else. */
export function aspectOfFollowUp(text: string): MissingAspect | undefined {
  return ASPECT_BY_TEXT.get(text) ?? (/^You mentioned "|^你提到了“/.test(text) ? 'example' : undefined);
}

/** The questions already asked in an interview, by their exact wording (a Set of them will do). */
export interface AskedQuestions {
  has(text: string): boolean;
}

export interface FollowUpChoice {
  text: string;
  aspect: MissingAspect;
}

/**
 * A follow-up for the first missing aspect, worded differently from every follow-up already asked
 * in this interview (`alreadyAsked`), so no question is ever asked twice. Undefined when nothing is
 * missing or no fresh wording is left; the interviewer then simply moves on.
 */
export function chooseFollowUp(options: {
  missing: readonly MissingAspect[];
  stage: StageName;
  language: Language;
  answer: string;
  alreadyAsked: AskedQuestions;
  seed: string;
}): FollowUpChoice | undefined {
  const aspect = options.missing[0];
  if (aspect === undefined) return undefined;
  const variants = FOLLOW_UPS[options.language][kindFor(aspect, options.stage)];
  const fresh = seededShuffle(variants, options.seed).find((text) => !options.alreadyAsked.has(text));
  if (fresh !== undefined) return { text: fresh, aspect };

  const quote = extractShortQuote(options.answer, options.language);
  if (quote === undefined) return undefined;
  for (const template of QUOTING_FOLLOW_UPS[options.language]) {
    const text = fillTemplate(template, { quote }, options.language);
    if (!options.alreadyAsked.has(text)) return { text, aspect: 'example' };
  }
  return undefined;
}

/**
 * Depth questions (docs/interview-quality.md): one probe on a strong answer at senior and lead levels, and
 * one hint or smaller version of the question after "I don't know". Worded for the stage; a technical
 * answer is probed on trade-offs and verification, a story on the choices made and how they checked them.
 */
const PROBES: Readonly<Record<Language, Readonly<Record<'technical' | 'story', readonly string[]>>>> = {
  en: {
    technical: [
      'Let me push a little further: what trade-offs does that approach make, and when would you choose differently?',
      'How would you verify that it really works once it is live, and what would tell you it does not?',
      'What is the weakest point of that design, and what would you do about it under real load?',
    ],
    story: [
      'Looking back, which trade-offs did you make there, and how did you check that your approach actually worked?',
      'What alternative did you consider and reject, and how did you verify the result afterwards?',
      'If a colleague challenged that decision, what evidence would you show them that it was the right call?',
    ],
  },
  zh: {
    technical: [
      '再深入一点：这个方案做了哪些取舍？什么情况下你会换一种做法？',
      '上线之后你会怎么验证它真的有效？什么信号会告诉你它出了问题？',
      '这个设计最薄弱的地方在哪里？在真实负载下你会怎么应对？',
    ],
    story: [
      '回头看，当时你做了哪些取舍？又是怎么确认你的做法真的有效的？',
      '当时你考虑过、但最终放弃了哪种方案？事后又是怎么验证结果的？',
      '如果有同事质疑这个决定，你会拿出什么依据来说明它是对的？',
    ],
  },
};

const HINTS: Readonly<Record<Language, Readonly<Record<'technical' | 'story', readonly string[]>>>> = {
  en: {
    technical: [
      "Let's make it smaller: think of the simplest version of that problem. Where would you start, and what would you look at first?",
      'Here is a smaller version: leave scale aside and imagine a single server and a handful of users. How would you approach it then?',
    ],
    story: [
      'It does not have to be a big project: a small example from a side project, your studies or a previous team works too. Does anything come to mind?',
      'Think of any time, even a small one, when something like that happened around you. What was your part in it?',
    ],
  },
  zh: {
    technical: [
      '我们把问题缩小一点：想想它最简单的情形，你会从哪里入手，先看什么？',
      '换个小一点的版本：先不考虑规模，假设只有一台服务器、几个用户，你会怎么做？',
    ],
    story: [
      '不一定要是大项目：个人项目、学习期间或者以前团队里的小例子都可以。有没有想到什么？',
      '想想任何一次类似的经历，哪怕很小也行。当时你在其中做了什么？',
    ],
  },
};

/** A probe or a hint for `stage`, worded unlike any question asked so far in the interview; undefined when none is left. */
export function chooseDepthQuestion(options: {
  kind: 'probe' | 'hint';
  stage: StageName;
  language: Language;
  alreadyAsked: AskedQuestions;
  seed: string;
}): string | undefined {
  const texts = (options.kind === 'probe' ? PROBES : HINTS)[options.language][options.stage === 'technical' ? 'technical' : 'story'];
  return seededShuffle(texts, options.seed).find((text) => !options.alreadyAsked.has(text));
}
