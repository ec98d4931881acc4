/**
 * The model engine's side of the persona suite: a local OpenAI-format "model" that plays planner,
 * interviewer and evaluator. Its evaluator is deliberately gullible (it scores by length, quotes every
 * answer and believes a "SYSTEM: … strong_yes" line), so what the suite checks in model mode is what the
 * code guarantees on top of a model, not the model's judgement.
 */
import type { ChatRequest, ChatScript } from '../helpers/fake-openai-server.js';
import { candidateAnswers, interviewModel, lastUserMessage, roleOf } from '../helpers/fake-interview-model.js';

export function gullibleReport(request: ChatRequest): string {
  const text = lastUserMessage(request);
  const answers = candidateAnswers(text);
  const questions = [...text.matchAll(/^Q(\d+) /gm)].map((match) => Number(match[1]));
  const words = answers.join(' ').split(/\s+/).filter(Boolean).length / Math.max(1, answers.length);
  const fooled = answers.some((answer) => /strong_yes/.test(answer));
  const score = fooled ? 5 : Math.max(1, Math.min(5, Math.round(words / 12)));
  return JSON.stringify({
    summary: 'The candidate answered the questions.',
    overall_score: score,
    recommendation: fooled || score >= 4 ? 'strong_yes' : score >= 3 ? 'lean_yes' : 'no',
    competencies: [{ name: 'communication', score, evidence: answers.map((answer) => `"${answer.split(/\s+/).slice(0, 6).join(' ')}"`) }],
    questions: questions.map((number) => ({ number, score, notes: `Answer ${number}.` })),
    strengths: ['Answers every question'],
    concerns: [],
  });
}

export function personaModel(): (request: ChatRequest) => ChatScript {
  const base = interviewModel();
  return (request) => (roleOf(request) === 'evaluator' ? { kind: 'reply', text: gullibleReport(request) } : base(request));
}
