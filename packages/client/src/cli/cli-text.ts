import type { Language } from '@viva/protocol/interview-schemas.js';

/** What the terminal client says about the interview, in the interview's language. */
const texts = {
  en: {
    interviewer: 'Interviewer',
    you: 'You',
    youSpoken: 'You (spoken)',
    disclosure:
      'You are talking to an AI interviewer, not a person. What you say is stored and evaluated automatically; the hiring team reviews the result.',
    ended: 'The interview has ended.',
    teamOnly: 'Your interview has been sent to the hiring team. They will review it and get back to you.',
    saved: 'your interview is saved; continue it with:',
  },
  zh: {
    interviewer: '面试官',
    you: '你',
    youSpoken: '你（语音）',
    disclosure: '与你交谈的是 AI 面试官，而不是真人。你的回答会被保存并自动评估，之后由招聘团队审阅。',
    ended: '面试已结束。',
    teamOnly: '你的面试已提交给招聘团队，他们会查看并与你联系。',
    saved: '面试已保存；继续面试请运行：',
  },
} as const;

export function cliText(language: Language) {
  return texts[language];
}
