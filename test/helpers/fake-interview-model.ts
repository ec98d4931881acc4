/**
 * A scripted "model" for FakeOpenAiServer that plays the three interview roles well enough for end-to-end
 * tests: it recognizes the planner, evaluator and interviewer prompts, and answers each in the shape the
 * prompt asks for (a plan as JSON, a report as JSON quoting the candidate, replies that follow the turn's
 * instructions and start with the decision line when one is asked for).
 */
import type { ChatRequest, ChatScript } from './fake-openai-server.js';

export type ModelRole = 'planner' | 'interviewer' | 'evaluator' | 'unknown';

export function roleOf(request: ChatRequest): ModelRole {
  const text = request.body.messages.map((message) => message.content).join('\n');
  if (/Number of main questions: \d+|主问题数量：\d+/.test(text)) return 'planner';
  if (/Transcript \(Q = main question|面试记录（Q = 主问题/.test(text)) return 'evaluator';
  if (request.body.stream === true) return 'interviewer';
  return 'unknown';
}

/** The instructions of this turn: the last user message. */
export function lastUserMessage(request: ChatRequest): string {
  return [...request.body.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
}

/**
 * A plan with a scoring guide and a probe per question, as the planner prompt asks; `guide` may make the
 * model leave guides out or botch them (a line missing), for the fallback.
 */
export function planFor(request: ChatRequest, guide: 'written' | 'omitted' | 'botched' = 'written'): string {
  const text = request.body.messages.map((message) => message.content).join('\n');
  const count = Number(/Number of main questions: (\d+)|主问题数量：(\d+)/.exec(text)?.slice(1).find((value) => value !== undefined) ?? 3);
  const topics = ['your background', 'a system you designed', 'a hard production incident', 'a disagreement with a colleague', 'scaling a database', 'what you want to ask us'];
  return JSON.stringify({
    questions: Array.from({ length: count }, (_value, index) => {
      const topic = topics[index % topics.length] ?? '';
      const number = index + 1;
      const lines = {
        1: `Model guide ${number}: says nothing about ${topic}.`,
        3: `Model guide ${number}: talks about ${topic} in general terms.`,
        5: `Model guide ${number}: an own example about ${topic}, with the result and the trade-offs.`,
      };
      return {
        text: `Model question ${number}: could you tell me about ${topic}?`,
        competency: `competency ${number}`,
        ...(guide === 'written' ? { guide: lines } : guide === 'botched' ? { guide: { 1: lines[1], 5: lines[5] } } : {}),
        probe: `Model probe ${number}: what would you do differently about ${topic} today?`,
      };
    }),
  });
}

/** The candidate's answers in an evaluator prompt, each fenced between <<< and >>>. */
export function candidateAnswers(text: string): string[] {
  return [...text.matchAll(/^Candidate:\n<<<\n([\s\S]*?)\n>>>$/gm)].map((match) => match[1] ?? '');
}

/** A report quoting the first words of each candidate answer, plus one invented quote that must be dropped. */
export function reportFor(request: ChatRequest, invented = 'I single-handedly invented the internet'): string {
  const text = lastUserMessage(request);
  const answers = candidateAnswers(text);
  const quotes = answers.map((answer) => answer.split(/\s+/).slice(0, 6).join(' '));
  const questions = [...text.matchAll(/^Q(\d+) /gm)].map((match) => Number(match[1]));
  return JSON.stringify({
    summary: 'The candidate gave concrete answers about their own work.',
    overall_score: 3.8,
    recommendation: 'yes',
    competencies: [{ name: 'communication', score: '4', evidence: [...quotes.map((quote) => `"${quote}"`), invented] }],
    questions: questions.map((number) => ({ number, score: 4, notes: `Answer ${number} was specific.` })),
    strengths: ['Specific examples'],
    concerns: ['Could say more about trade-offs'],
  });
}

/** What the interviewer says this turn, following the instructions in the prompt. */
export function replyFor(request: ChatRequest): string {
  const instructions = lastUserMessage(request);
  const decision = instructions.includes('[[FOLLOW_UP]]') ? '[[NEXT]]\n' : '';
  const question = /(?:make it flow|as written): "([^"]+)"/.exec(instructions)?.[1];
  if (/close the interview/.test(instructions)) return `${decision}Thank you for your time today. The team will review our conversation and be in touch. Goodbye!`;
  if (/This is the start of the interview/.test(instructions)) return `Hello and welcome to the interview. ${question ?? 'Shall we begin?'}`;
  return `${decision}Thanks, that is helpful. ${question ?? 'Could you say more?'}`;
}

/** A chat handler playing all three roles; `interviewer` may replace the interviewer's scripts. */
export function interviewModel(overrides: { interviewer?: (request: ChatRequest) => ChatScript | undefined } = {}): (request: ChatRequest) => ChatScript {
  return (request) => {
    switch (roleOf(request)) {
      case 'planner':
        return { kind: 'reply', text: planFor(request) };
      case 'evaluator':
        return { kind: 'reply', text: reportFor(request) };
      case 'interviewer':
        return overrides.interviewer?.(request) ?? { kind: 'reply', text: replyFor(request) };
      case 'unknown':
        return { kind: 'reply', text: 'OK.' };
    }
  };
}
