/**
 * Runs a scripted persona through a whole interview over the HTTP API of an in-process server (built-in
 * engine, or a model engine against a local OpenAI-format server), and returns the conversation and the
 * report. The same runner measured the personas before and after the interview-quality work, so both
 * tables come from the same candidates.
 */
import { interviewReportSchema, type InterviewReport } from '@viva/protocol/interview-schemas.js';
import type { RunningViva } from '../helpers/in-process-viva.js';
import type { Persona } from './persona-scripts.js';

export interface PersonaExchange {
  sent: string;
  reply: string;
  follow_up: boolean;
  /** Whether what was sent is one of the persona's interjections (not an answer). */
  interjection: boolean;
}

export interface PersonaRun {
  persona: Persona;
  sessionId: string;
  greeting: string;
  exchanges: PersonaExchange[];
  report: InterviewReport;
  plan: { questions: { text: string; competency: string }[] };
}

interface TurnBody {
  ai_response: string;
  follow_up?: boolean;
  interview: { state: string; stage?: string | null };
}

async function call<T>(viva: RunningViva, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<T> {
  // as the hiring team: a candidate sees neither the whole plan nor the scores (CANDIDATE_REPORT)
  const headers = { authorization: `Bearer ${viva.adminToken}` };
  const response = await viva.viva.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  if (response.statusCode >= 400) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

/** The last question in a reply: what the candidate answers next. */
export function lastQuestionIn(reply: string): string {
  const sentences = reply.split(/(?<=[?？.!。！])\s*/).filter((sentence) => sentence.trim() !== '');
  return [...sentences].reverse().find((sentence) => /[?？]\s*$/.test(sentence)) ?? sentences.at(-1) ?? reply;
}

export async function runPersona(viva: RunningViva, persona: Persona, sessionId: string, questionCount = 6): Promise<PersonaRun> {
  const start = await call<TurnBody & { session_id: string }>(viva, 'POST', '/api/v1/interview/start', {
    session_id: sessionId,
    candidate: { name: 'Sam' },
    interview: { role: persona.role, level: persona.level, language: persona.language, question_count: questionCount },
  });
  const exchanges: PersonaExchange[] = [];
  let reply = start.ai_response;
  let state = start.interview.state;
  let stage = start.interview.stage ?? 'opening';
  let followUp = false;
  let asked = 0;
  const answer = persona.answerer();
  // the whole reply, not just its last sentence: "Tell me about a service you built. What did it do?"
  let question = start.ai_response;
  for (let turn = 1; turn <= 40 && state !== 'completed'; turn++) {
    if (persona.reconnectBefore === turn) {
      await call(viva, 'POST', '/api/v1/interview/start', { session_id: sessionId });
    }
    const interjection = persona.interjections?.[turn];
    const sent: string = interjection ?? answer({ text: question, stage, turn: asked, followUp });
    if (interjection === undefined) asked++;
    const body: TurnBody = await call<TurnBody>(viva, 'POST', `/api/v1/interview/${sessionId}/process-unified`, { text: sent });
    exchanges.push({ sent, reply: body.ai_response, follow_up: body.follow_up === true, interjection: interjection !== undefined });
    reply = body.ai_response;
    // "take your time" asks nothing: the open question stays the one to answer
    if (/[?？]/.test(reply)) question = reply;
    state = body.interview.state;
    stage = body.interview.stage ?? stage;
    followUp = body.follow_up === true;
  }
  if (state !== 'completed') await call(viva, 'POST', `/api/v1/interview/${sessionId}/end`, {});
  const session = await call<{ plan: PersonaRun['plan'] }>(viva, 'GET', `/api/v1/interview/${sessionId}`);
  let report: InterviewReport | undefined;
  // the report of an interview that completed by itself is written just after the closing reply
  for (let attempt = 0; attempt < 100 && report === undefined; attempt++) {
    const response = await viva.viva.app.inject({
      method: 'GET',
      url: `/api/v1/interview/${sessionId}/report`,
      headers: { authorization: `Bearer ${viva.adminToken}` },
    });
    if (response.statusCode === 200) report = interviewReportSchema.parse(response.json());
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (report === undefined) throw new Error(`no report for ${persona.name}`);
  return { persona, sessionId, greeting: start.ai_response, exchanges, report, plan: session.plan };
}

export function personaTable(title: string, runs: readonly PersonaRun[]): string {
  const lines = [`${title}`, '| persona | role | overall | recommendation |', '|---|---|---|---|'];
  for (const run of runs) {
    lines.push(`| ${run.persona.name} | ${run.persona.role} | ${run.report.overall_score.toFixed(1)} | ${run.report.recommendation} |`);
  }
  return lines.join('\n');
}
