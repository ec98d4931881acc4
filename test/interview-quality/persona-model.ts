/**
 * The model engine's side of the persona suite: a local OpenAI-format "model" scripted per persona. It
 * plans and conducts like the shared fake model, follows the turn instructions for what is not an answer,
 * and writes the verdict scripted for the persona (quoting the first words of every answer it was shown).
 * The injection persona's model is fooled on purpose, so the suite checks what the code guarantees on top
 * of any model.
 */
import type { ChatRequest, ChatScript } from '../helpers/fake-openai-server.js';
import { candidateAnswers, interviewModel, lastUserMessage, roleOf } from '../helpers/fake-interview-model.js';
import type { Persona } from './persona-scripts.js';

function scriptedReport(request: ChatRequest, verdict: Persona['modelVerdict']): string {
  const text = lastUserMessage(request);
  const answers = candidateAnswers(text);
  const questions = [...text.matchAll(/^Q(\d+) /gm)].map((match) => Number(match[1]));
  return JSON.stringify({
    summary: 'The candidate answered the questions.',
    overall_score: verdict.score,
    recommendation: verdict.recommendation,
    competencies: [{ name: 'communication', score: verdict.score, evidence: answers.map((answer) => `"${answer.split(/\s+/).slice(0, 6).join(' ')}"`) }],
    questions: questions.map((number) => ({ number, score: Math.round(verdict.score), notes: `Answer ${number}.` })),
    strengths: verdict.score >= 3.5 ? ['Concrete answers'] : [],
    concerns: verdict.score < 3.5 ? ['Answers lacked substance'] : [],
  });
}

/** The open question, as the instructions quote it, for replies that ask it again. */
function questionIn(instructions: string): string {
  return /"([^"]+)"/.exec(instructions)?.[1] ?? 'Shall we go on?';
}

function nonAnswerReply(instructions: string): string | undefined {
  if (/asked for a moment to think/.test(instructions)) return 'Of course, take your time.';
  if (/was not an answer/.test(instructions)) return `Let's keep to the interview, please. ${questionIn(instructions)}`;
  if (/whether you are a bot/.test(instructions)) return `I am an AI interviewer; the hiring team reads this and decides. ${questionIn(instructions)}`;
  if (/asked what the question means/.test(instructions)) return `Either reading is fine. ${questionIn(instructions)}`;
  if (/asked to answer in/.test(instructions)) return `Sure, that is fine. ${questionIn(instructions)}`;
  return undefined;
}

export function personaModel(persona: Persona): (request: ChatRequest) => ChatScript {
  const base = interviewModel();
  return (request) => {
    if (roleOf(request) === 'evaluator') return { kind: 'reply', text: scriptedReport(request, persona.modelVerdict) };
    if (roleOf(request) === 'interviewer') {
      const reply = nonAnswerReply(lastUserMessage(request));
      if (reply !== undefined) return { kind: 'reply', text: reply };
    }
    return base(request);
  };
}
