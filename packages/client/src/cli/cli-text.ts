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
    prompt: 'you> ',
    progress: (number: number, total: number, followUp: boolean) => `(question ${number} of ${total}${followUp ? ', follow-up' : ''})`,
    notice: (from: 'admin' | 'system') => (from === 'admin' ? 'message from the hiring team' : 'notice'),
    help: 'Commands: /end ends the interview and shows the report, /quit leaves (the interview stays saved), /help.',
    unknownCommand: (command: string) => `unknown command ${command}.`,
    connectionLost: (code: number, seconds: string, attempt: number) => `connection lost (${code}); reconnecting in ${seconds} s, attempt ${attempt}`,
    reconnected: 'reconnected',
  },
  zh: {
    interviewer: '面试官',
    you: '你',
    youSpoken: '你（语音）',
    disclosure: '与你交谈的是 AI 面试官，而不是真人。你的回答会被保存并自动评估，之后由招聘团队审阅。',
    ended: '面试已结束。',
    teamOnly: '你的面试已提交给招聘团队，他们会查看并与你联系。',
    saved: '面试已保存；继续面试请运行：',
    prompt: '你> ',
    progress: (number: number, total: number, followUp: boolean) => `（第 ${number} 题，共 ${total} 题${followUp ? '，追问' : ''}）`,
    notice: (from: 'admin' | 'system') => (from === 'admin' ? '招聘团队的消息' : '通知'),
    help: '命令：/end 结束面试并显示报告，/quit 暂时离开（面试会保存），/help 显示本说明。',
    unknownCommand: (command: string) => `没有 ${command} 这个命令。`,
    connectionLost: (code: number, seconds: string, attempt: number) => `连接已断开（${code}）；${seconds} 秒后第 ${attempt} 次重连`,
    reconnected: '已重新连接',
  },
} as const;

export type CliText = (typeof texts)[Language];

export function cliText(language: Language): CliText {
  return texts[language];
}
