import type { Language } from '@viva/protocol/interview-schemas.js';
import type { QuestionStage, RoleTrack } from './question-bank-types.js';
import { fillTemplate } from './text-tools.js';

/**
 * Everything the built-in interviewer says besides the questions themselves, written natively in
 * each language (the Chinese is not a word-for-word translation). Lists offer variants so that
 * consecutive turns do not sound the same; reply-phrase-picker.ts chooses among them.
 */
export interface Phrasebook {
  greeting(name: string | undefined, role: string): string;
  /** One sentence on how the interview goes: about `questions` questions in about `minutes` minutes. */
  howItGoes(questions: number, minutes: number): string;
  firstQuestionLead: { opening: readonly string[]; other: readonly string[] };
  /** For a candidate who comes back (a new `start` after the greeting): no second greeting. */
  resumeLead: readonly string[];
  nextQuestionLead: readonly string[];
  /** Said when the interview enters a stage; the technical stage is worded per track instead. */
  stageTransition: Readonly<Record<Exclude<QuestionStage, 'opening' | 'technical'>, readonly string[]>>;
  /** `general_role`: the general track for a role outside software, where "technical" means the job itself. */
  technicalTransition: Readonly<Record<RoleTrack | 'general_role', readonly string[]>>;
  acknowledgeStrong: readonly string[];
  acknowledgePlain: readonly string[];
  acknowledgeAfterFollowUp: readonly string[];
  /** Templates with `{highlight}`: a term from the answer, quoted back. */
  acknowledgeHighlight: readonly string[];
  /** Templates with `{metric}`: a figure from the answer, such as "40%". */
  acknowledgeMetric: readonly string[];
  skipped: readonly string[];
  unknown: readonly string[];
  repeatLead: readonly string[];
  candidateAskedSomething: readonly string[];
  candidateHasNoQuestions: readonly string[];
  /** When the candidate's turn brings a remark rather than a question ("I enjoyed this"). */
  candidateCommented: readonly string[];
  timeUp: readonly string[];
  closingIntro: readonly string[];
  closingThanks(name: string | undefined): string;
  closingNextSteps: string;
  closingFarewell: readonly string[];
  alreadyCompleted: string;
}

const ENGLISH: Phrasebook = {
  greeting: (name, role) =>
    `Hi${name === undefined ? '' : ` ${name}`}, thanks for taking the time to talk with me today; I'll be your interviewer for the ${role} position.`,
  howItGoes: (questions, minutes) => {
    const questionText = questions === 1 ? 'one main question' : `about ${questions} questions`;
    const minuteText = minutes === 1 ? 'about a minute' : `roughly ${minutes} minutes`;
    return `We'll go through ${questionText} in ${minuteText}, so there's no need to rush, and if you'd like me to repeat or skip a question, just say so.`;
  },
  firstQuestionLead: {
    opening: ["Let's start with an easy one.", "Let's begin with a warm-up question."],
    other: ["Let's get started.", "Let's dive right in."],
  },
  resumeLead: ["Let's pick up where we left off.", "Let's carry on from where we were."],
  nextQuestionLead: [
    "Let's move on.",
    "Here's the next one.",
    'Next question.',
    "Let's look at another one.",
    'On to the next question.',
  ],
  stageTransition: {
    experience: ["I'd like to hear about your experience now.", "Let's talk about some of your recent work."],
    behavioral: [
      "Let's switch gears and talk about a few situations from your past work.",
      "Now a few questions about situations you've been in.",
    ],
    candidate_questions: ["We're nearly at the end.", "That's all the questions I have for you."],
  },
  technicalTransition: {
    backend: ["Now let's get a bit more technical.", "Let's move on to some technical questions."],
    frontend: ["Now let's get a bit more technical.", "Let's move on to some front-end questions."],
    data_ml: ["Let's turn to some data and modeling questions.", "Now let's get into the technical side of your work."],
    product: ["Let's turn to some product questions.", "Now I'd like to see how you think through product problems."],
    general: ["Now let's get a bit more technical.", "Let's move on to some technical questions."],
    general_role: ['Next, a few questions about the work itself.', "Let's talk about how you approach the job day to day."],
  },
  acknowledgeStrong: [
    "Thank you, that's a really clear answer.",
    'Great, that gives me a good picture.',
    "That's helpful, thanks for the detail.",
    'Thanks, I appreciate how concrete that was.',
    "Got it, that's a thorough answer.",
    'Thanks, that was well explained.',
  ],
  acknowledgePlain: [
    'Okay, thank you.',
    'Understood, thanks.',
    'Alright, thanks for that.',
    'Thanks for sharing that.',
    'I see, thank you.',
  ],
  acknowledgeAfterFollowUp: [
    'Thanks for filling that in.',
    'That helps, thank you.',
    'Great, that makes it much clearer.',
    "Thanks, that's the detail I was after.",
  ],
  acknowledgeHighlight: [
    'Thanks, what you said about {highlight} is useful context.',
    'That makes sense, especially the part about {highlight}.',
    'Got it, and thanks for the detail on {highlight}.',
    'Thank you, the way you described {highlight} was helpful.',
  ],
  acknowledgeMetric: [
    'Thanks, and that {metric} figure makes the impact clear.',
    'Good, having a number like {metric} really helps.',
    'Thank you, a concrete result like {metric} is exactly what I was hoping to hear about.',
    'Great, the {metric} gives me a clear sense of the impact.',
  ],
  skipped: ["No problem, we'll skip that one.", 'Sure, we can leave that one.', "That's fine, we'll move past it."],
  unknown: [
    "That's completely fine; it's better to say so than to guess.",
    "No problem at all, not every question is going to land.",
    "Thanks for being upfront about it, that's perfectly okay.",
  ],
  repeatLead: ['Of course. Here it is again:', 'Sure, let me repeat it:', 'No problem, the question was:'],
  candidateAskedSomething: [
    "Thanks for raising that. I can't give you a reliable answer myself, so I'll pass it on to the hiring team and they'll follow up with you.",
    "I'll make sure the hiring team sees that question, so they can give you a proper answer.",
  ],
  candidateHasNoQuestions: ["That's fine.", 'Okay, no problem.'],
  candidateCommented: ['Thank you, I appreciate that.', 'Thanks for sharing that with me.'],
  timeUp: [
    "We've reached the time we set aside for today, so let's stop here.",
    "We're at time now, so I'll wrap us up here.",
  ],
  closingIntro: ['That brings us to the end of the interview.', "And with that, we've come to the end of our interview."],
  closingThanks: (name) =>
    `Thank you${name === undefined ? '' : `, ${name},`} for your time and for sharing your experience so openly.`,
  closingNextSteps: "The hiring team will review today's conversation and get back to you about next steps soon.",
  closingFarewell: ['Have a great rest of your day!', 'Best of luck, and take care!'],
  alreadyCompleted:
    'This interview has already finished. Thank you again for your time; the hiring team will be in touch about next steps.',
};

const CHINESE: Phrasebook = {
  greeting: (name, role) =>
    fillTemplate(
      `${name === undefined ? '你好' : `你好，${name}`}！感谢你今天抽时间参加面试，我是这次{role}岗位的面试官。`,
      { role },
      'zh',
    ),
  howItGoes: (questions, minutes) => {
    const questionText = questions === 1 ? '主要聊一个问题' : `大概会聊${questions}个问题`;
    return `今天我们${questionText}，时间在${minutes}分钟左右，不用着急；如果需要我重复问题，或者想跳过某一题，直接告诉我就好。`;
  },
  firstQuestionLead: {
    opening: ['我们先从一个轻松的问题开始吧。', '先来一个简单的热身问题。'],
    other: ['那我们直接开始吧。', '我们开始吧。'],
  },
  resumeLead: ['我们接着刚才的继续。', '我们从刚才停下的地方接着聊。'],
  nextQuestionLead: ['下一个问题。', '我们接着往下聊。', '再来看一个问题。', '接下来想问你：', '我们换个问题。'],
  stageTransition: {
    experience: ['接下来想多了解一些你的工作经历。', '我们聊聊你最近做过的事情吧。'],
    behavioral: ['我们换个方向，聊聊你过往工作中的一些具体情境。', '接下来问几个和你过往具体经历相关的问题。'],
    candidate_questions: ['面试差不多接近尾声了。', '我这边的问题就问到这里。'],
  },
  technicalTransition: {
    backend: ['接下来我们聊一些技术问题。', '下面进入技术环节。'],
    frontend: ['接下来我们聊一些前端技术问题。', '下面进入技术环节。'],
    data_ml: ['接下来聊一些数据和建模方面的问题。', '下面我们聊聊算法和数据相关的话题。'],
    product: ['接下来聊几个产品方面的问题。', '下面想看看你是怎么思考产品问题的。'],
    general: ['接下来我们聊一些技术问题。', '下面进入技术环节。'],
    general_role: ['接下来聊聊你对这份工作本身的理解。', '下面几个问题和你日常的工作方式有关。'],
  },
  acknowledgeStrong: [
    '好的，这个回答很清楚。',
    '谢谢，讲得很具体。',
    '明白了，这让我对你的经验有了比较清晰的了解。',
    '很好，思路很清晰。',
    '谢谢，细节讲得很到位。',
    '好的，这个例子很有说服力。',
  ],
  acknowledgePlain: ['好的，谢谢。', '嗯，明白了。', '好的，了解了。', '收到，谢谢你的回答。', '好，谢谢分享。'],
  acknowledgeAfterFollowUp: ['谢谢补充。', '好的，这样就清楚多了。', '明白了，谢谢你补充这些细节。', '嗯，这正是我想了解的。'],
  acknowledgeHighlight: [
    '明白了，你提到的{highlight}这一点很有参考价值。',
    '好的，关于{highlight}的细节很有帮助。',
    '嗯，你对{highlight}的描述让我印象挺深的。',
    '谢谢，{highlight}这部分讲得很清楚。',
  ],
  acknowledgeMetric: [
    '谢谢，{metric}这个数字让效果一目了然。',
    '很好，有{metric}这样具体的数据很有说服力。',
    '明白，{metric}的结果很具体。',
    '好的，{metric}这个结果让我对影响有了直观的认识。',
  ],
  skipped: ['没问题，这题我们先跳过。', '好的，那这一题就先不聊了。', '可以，我们跳过这一题。'],
  unknown: ['没关系，不清楚就直说，这样很好。', '没事，不是每个问题都一定要答上来。', '谢谢你坦诚告诉我，这完全没问题。'],
  repeatLead: ['当然可以，我再说一遍：', '好的，问题是：', '没问题，我重复一下：'],
  candidateAskedSomething: [
    '谢谢你提出这个问题。我这边没法给你准确的答复，会把它转给招聘团队，由他们来跟你详细沟通。',
    '我会把这个问题记下来转给招聘团队，他们会给你更准确的答复。',
  ],
  candidateHasNoQuestions: ['好的，没问题。', '好的。'],
  candidateCommented: ['谢谢，很高兴听你这么说。', '好的，谢谢你的分享。'],
  timeUp: ['我们预留的时间已经到了，今天就先聊到这里。', '时间差不多了，我们就先聊到这儿。'],
  closingIntro: ['今天的面试就到这里。', '那我们今天的面试就到这里了。'],
  closingThanks: (name) => `${name === undefined ? '' : `${name}，`}非常感谢你抽出时间，也谢谢你这么坦诚地分享自己的经历。`,
  closingNextSteps: '招聘团队会认真看今天的面试记录，之后会尽快和你联系下一步的安排。',
  closingFarewell: ['祝你一切顺利！', '祝你今天愉快！'],
  alreadyCompleted: '本次面试已经结束了。再次感谢你的时间，招聘团队会和你联系后续安排。',
};

const PHRASEBOOKS: Readonly<Record<Language, Phrasebook>> = { en: ENGLISH, zh: CHINESE };

export function phrasebookFor(language: Language): Phrasebook {
  return PHRASEBOOKS[language];
}
