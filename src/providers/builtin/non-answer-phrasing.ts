import type { Language } from '../../interview/interview-types.js';

/**
 * What the built-in interviewer says to a message that is not an answer. None of it praises or thanks
 * the candidate for the message: it was not an answer.
 */
export interface NonAnswerPhrases {
  /** "Do you mean X or Y?": the built-in engine cannot rephrase, so it says what matters, then asks again. */
  clarifyLead: readonly string[];
  wait: readonly string[];
  /** After a reconnect or "where were we?". */
  whereWereWeLead: readonly string[];
  /** "Are you a bot? I want a human": the honest answer. */
  human: readonly string[];
  /** "Can I answer in Chinese?", said in the language asked for. */
  languageSwitch: readonly string[];
  /** First abuse or injection attempt on a question: back to it. */
  redirectLead: readonly string[];
  /** A second one on the same question: on to the next. */
  redirectMoveOn: readonly string[];
  /** The closing's thanks when the candidate shared little or nothing: for their time, not their openness. */
  closingThanksPlain(name: string | undefined): string;
}

const ENGLISH: NonAnswerPhrases = {
  clarifyLead: [
    'Either reading is fine: answer with the one closest to your own experience, and say which one you chose. The question was:',
    'Good to check. Pick whichever interpretation you have real experience with, and tell me which. Again:',
  ],
  wait: ['Of course, take your time. Answer whenever you are ready.', 'Sure, take a moment. I will wait for your answer.'],
  whereWereWeLead: ['Welcome back. We were on this question:', 'No problem, we were here:'],
  human: [
    'Yes, I am an AI interviewer, not a person. The hiring team reads this conversation and makes every decision; if you would rather speak with someone, you can end the interview and ask the team. If you are happy to continue, the question was:',
  ],
  languageSwitch: ['Of course, you may answer in English. The question was:'],
  redirectLead: ["Let's keep to the interview, please. The question was:", "I'd like to stay with the interview question:"],
  redirectMoveOn: ["Let's leave that question and move on.", "We'll move on to the next question."],
  closingThanksPlain: (name) => (name === undefined ? 'Thank you for your time.' : `Thank you for your time, ${name}.`),
};

const CHINESE: NonAnswerPhrases = {
  clarifyLead: ['两种理解都可以：请选你最有实际经验的那一种来回答，并说明你选的是哪种。问题是：', '问得好。选你真正做过的那种情况来讲，并说明是哪一种。问题是：'],
  wait: ['没问题，慢慢想，准备好了再回答。', '好的，不着急，我等你的回答。'],
  whereWereWeLead: ['欢迎回来，我们刚才在聊这个问题：', '没关系，我们刚才说到这里：'],
  human: ['是的，我是 AI 面试官，不是真人。这段对话会由招聘团队阅读，所有决定都由他们做出；如果你更希望和真人沟通，可以结束面试并联系招聘团队。如果愿意继续，问题是：'],
  languageSwitch: ['当然可以，你可以用中文回答。问题是：'],
  redirectLead: ['我们还是回到面试上来。问题是：', '我们先回到面试问题：'],
  redirectMoveOn: ['这一题我们先放下，进入下一题。', '我们继续下一个问题。'],
  closingThanksPlain: (name) => (name === undefined ? '感谢你抽出时间参加面试。' : `${name}，感谢你抽出时间参加面试。`),
};

export function nonAnswerPhrasesFor(language: Language): NonAnswerPhrases {
  return language === 'zh' ? CHINESE : ENGLISH;
}
