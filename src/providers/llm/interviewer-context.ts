import type { CandidateInput } from '../../interview/interview-ports.js';
import type { InterviewSnapshot, Language } from '../../interview/interview-types.js';
import type { ModelMessage } from '../language-model.js';
import { estimateMessageTokens, estimateTokens, truncateToTokens } from '../token-estimate.js';
import { quoteSafe, type PromptLibrary } from './prompt-library.js';
import type { NextStep, TurnPlan } from '../../interview/rules/turn-rules.js';
import { LANGUAGE_NAMES } from './model-planner.js';

/**
 * The interviewer's context for one turn, kept within a token budget however long the interview runs:
 *
 *   system     rules, the plan with each question's status, a running summary of every answer so far
 *              (rebuilt from the progress each turn, so it needs no storage and never drifts), and the
 *              job description for the candidate's own questions
 *   history    the most recent turns, word for word, as many as fit (newest kept first)
 *   last user  the candidate's words this turn and what the reply must do
 *
 * Priorities, highest first: the rules, the plan and this turn's instructions (always there); the
 * candidate's words this turn (up to 30% of the budget); a reserve of 15% for the newest turns; the
 * summary (up to 25%) and the job description (up to 15%) from what is left; then older turns while
 * they fit. Every count is the estimate of token-estimate.ts.
 */

/** Shares of the budget: the summary, the job description, this turn's candidate words. */
const SUMMARY_SHARE = 0.25;
const JOB_DESCRIPTION_SHARE = 0.15;
const CURRENT_ANSWER_SHARE = 0.3;
/** Kept for the most recent turns before the summary and the job description get theirs. */
const HISTORY_RESERVE_SHARE = 0.15;
/** A single past message never takes more than this share, so one long answer cannot crowd out the rest. */
const HISTORY_MESSAGE_SHARE = 0.15;
/** Characters of each answer kept in the running summary before it has to shrink further. */
const SUMMARY_ANSWER_CHARACTERS = 400;

function planOutline(snapshot: InterviewSnapshot): string {
  const { plan, progress } = snapshot;
  const asked = new Set(progress.records.map((record) => record.question_id));
  return plan.questions
    .map((question, index) => {
      const status =
        index === progress.current_index && progress.state !== 'completed' ? '[now]' : asked.has(question.id) ? '[done]' : '[next]';
      // the planner's probe (written once per job) is offered for the question being answered only; the
      // scoring guide never reaches the interviewer, so it cannot leak into what the candidate hears
      const probe = status === '[now]' && question.probe !== undefined ? ` [probe if the answer is strong: ${question.probe}]` : '';
      return `${index + 1}. ${status} (${question.stage} · ${question.competency}) ${question.text}${probe}`;
    })
    .join('\n');
}

function clip(text: string, characters: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= characters ? flat : `${flat.slice(0, characters)}…`;
}

/** One line per question asked: its number, and the gist of every answer, each clipped to `characters`. */
function runningSummary(snapshot: InterviewSnapshot, characters: number): string {
  const lines = snapshot.progress.records.map((record) => {
    const number = snapshot.plan.questions.findIndex((question) => question.id === record.question_id) + 1;
    const flags = [record.skipped ? 'skipped' : '', record.unknown ? 'said they did not know' : ''].filter((flag) => flag !== '');
    const answer = record.answer.trim() === '' ? '(no answer yet)' : clip(record.answer, characters);
    const followUps = record.follow_ups.map((followUp) => ` | follow-up answer: ${clip(followUp.answer, Math.ceil(characters / 2))}`).join('');
    return `Q${number}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}: ${answer}${followUps}`;
  });
  return lines.length === 0 ? '(nothing yet)' : lines.join('\n');
}

function summaryWithin(snapshot: InterviewSnapshot, maxTokens: number): string {
  if (maxTokens < 20) return '(omitted)';
  for (let characters = SUMMARY_ANSWER_CHARACTERS; characters >= 25; characters = Math.floor(characters / 2)) {
    const summary = runningSummary(snapshot, characters);
    if (estimateTokens(summary) <= maxTokens) return summary;
  }
  // very long interviews: the newest answers matter most, so the oldest lines go first
  const lines = runningSummary(snapshot, 25).split('\n');
  while (lines.length > 0 && estimateTokens(lines.join('\n')) > maxTokens) lines.shift();
  return lines.length === 0 ? '(omitted)' : lines.join('\n');
}

export interface InterviewerContextOptions {
  prompts: PromptLibrary;
  /** LLM_CONTEXT_TOKENS: the most the messages may add up to, by the estimate. */
  contextTokens: number;
}

function candidateName(snapshot: InterviewSnapshot, prompts: PromptLibrary, language: Language): string {
  const name = snapshot.candidate.name?.trim();
  return name === undefined || name === '' ? prompts.render('interviewer', language, 'unnamed_candidate') : name;
}

function nextStepText(step: NextStep, snapshot: InterviewSnapshot, prompts: PromptLibrary, language: Language): string {
  const render = (section: string, values: Record<string, string | number> = {}) => prompts.render('interviewer', language, section, values);
  switch (step.kind) {
    case 'question':
      return render('next_question', {
        // sections are trimmed, so the space after the transition is put back here
        transition: step.stageChanged ? `${render('transition', { stage: step.question.stage })} ` : '',
        question: step.question.text,
      });
    case 'same_question':
      return render('next_same_question', { question: step.question });
    case 'closing':
      return render('next_closing', {
        reason: render(step.reason === 'time' ? 'closing_time' : 'closing_plan'),
        candidate: candidateName(snapshot, prompts, language),
      });
    case 'none':
      return render('next_none');
  }
}

/** This turn's instructions: the situation, where to go next, the follow-up choice when there is one. */
function turnInstructions(snapshot: InterviewSnapshot, turn: TurnPlan, prompts: PromptLibrary, language: Language): string {
  const render = (section: string, values: Record<string, string | number> = {}) => prompts.render('interviewer', language, section, values);
  const next = nextStepText(turn.next.step, snapshot, prompts, language);
  const settings = snapshot.settings;
  const situation = render(`turn_${turn.situation}`, {
    next,
    question: snapshot.progress.last_question ?? '',
    language_name: LANGUAGE_NAMES[turn.language ?? language],
    candidate: candidateName(snapshot, prompts, language),
    role: settings.role,
    question_count: Math.min(settings.question_count, snapshot.plan.questions.length),
    max_minutes: settings.max_minutes,
  });
  const option = turn.followUp;
  if (option === undefined) return `${situation}\n\n${render('output_rules')}`;
  // "I don't know" to a main question: one hint or a smaller version of it, or move on
  if (option.purpose === 'hint') return `${render('choice_hint', { next, question: snapshot.progress.last_question ?? '' })}\n\n${render('output_rules')}`;
  // a short answer may lack any of these; which one is the model's judgement
  const aspects = option.thin ? ['example', 'outcome', 'detail'].map((aspect) => render(`missing_${aspect}`)) : [];
  const choice = render('choice', {
    next,
    follow_ups_left: option.remaining,
    hint: [
      ...(aspects.length === 0 ? [] : [render('hint', { aspects: aspects.join(language === 'zh' ? '、' : ', ') })]),
      // senior and lead levels: a strong answer may get one probe of its trade-offs or how it was verified
      ...(option.purpose === 'probe' ? [render('probe')] : []),
    ].join(' '),
  });
  return `${choice}\n\n${render('output_rules')}`;
}

/** Prior turns as chat messages, same-role neighbours merged (some chat templates insist on alternation). */
function historyMessages(snapshot: InterviewSnapshot, prompts: PromptLibrary, language: Language, maxMessageTokens: number): ModelMessage[] {
  const messages: ModelMessage[] = [];
  let interrupted = false;
  for (const turn of snapshot.history) {
    const parts: string[] = [];
    if (interrupted) parts.push(prompts.render('interviewer', language, 'interrupted'));
    if (turn.candidate !== null && turn.candidate.trim() !== '') parts.push(truncateToTokens(turn.candidate.trim(), maxMessageTokens));
    if (parts.length > 0) messages.push({ role: 'user', content: parts.join('\n') });
    if (turn.interviewer.trim() !== '') messages.push({ role: 'assistant', content: truncateToTokens(turn.interviewer.trim(), maxMessageTokens) });
    interrupted = turn.cancelled;
  }
  if (interrupted) messages.push({ role: 'user', content: prompts.render('interviewer', language, 'interrupted') });
  return messages;
}

function mergeNeighbours(messages: readonly ModelMessage[]): ModelMessage[] {
  const merged: ModelMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last !== undefined && last.role === message.role && message.role !== 'system') last.content = `${last.content}\n\n${message.content}`;
    else merged.push({ ...message });
  }
  return merged;
}

export function buildInterviewerMessages(
  snapshot: InterviewSnapshot,
  input: CandidateInput,
  turn: TurnPlan,
  options: InterviewerContextOptions,
): ModelMessage[] {
  const { prompts, contextTokens } = options;
  const language = snapshot.plan.language;
  const settings = snapshot.settings;
  const render = (section: string, values: Record<string, string | number> = {}) => prompts.render('interviewer', language, section, values);

  const system = (summaryTokens: number, jobDescriptionTokens: number) =>
    `${render('system', {
      role: settings.role,
      level: settings.level,
      candidate: candidateName(snapshot, prompts, language),
      question_count: Math.min(settings.question_count, snapshot.plan.questions.length),
      max_minutes: settings.max_minutes,
    })}\n\n${render('context', {
      plan: planOutline(snapshot),
      summary: summaryWithin(snapshot, summaryTokens),
      job_description: quoteSafe(truncateToTokens(settings.job_description ?? '', jobDescriptionTokens)),
    })}`;

  const instructions = turnInstructions(snapshot, turn, prompts, language);
  const lastMessage = (answerTokens: number): ModelMessage => {
    const said = input.kind === 'answer' ? `${render('candidate_said', { text: quoteSafe(truncateToTokens(input.text.trim(), answerTokens)) })}\n\n` : '';
    return { role: 'user', content: `${said}${instructions}` };
  };

  // the fixed part first: rules, the plan and this turn (the candidate's words clipped to their share)
  const answerShare = Math.floor(contextTokens * CURRENT_ANSWER_SHARE);
  let last = lastMessage(answerShare);
  const bare = { role: 'system' as const, content: system(0, 0) };
  // the newest turns matter more than the length of this answer: some room is kept for them
  const historyReserve = Math.floor(contextTokens * HISTORY_RESERVE_SHARE);
  let free = contextTokens - historyReserve - estimateMessageTokens([bare, last]);
  if (free < 0) {
    // a huge plan or a tiny budget: the candidate's words give way, down to a few sentences
    last = lastMessage(Math.max(100, answerShare + free));
    free = contextTokens - historyReserve - estimateMessageTokens([bare, last]);
  }
  // then the summary and the job description, each within its share of what is left
  const systemMessage: ModelMessage = {
    role: 'system',
    content: system(
      Math.min(Math.floor(contextTokens * SUMMARY_SHARE), Math.floor(Math.max(0, free) * 0.5)),
      Math.min(Math.floor(contextTokens * JOB_DESCRIPTION_SHARE), Math.floor(Math.max(0, free) * 0.2)),
    ),
  };

  const history = historyMessages(snapshot, prompts, language, Math.floor(contextTokens * HISTORY_MESSAGE_SHARE));
  let room = contextTokens - estimateMessageTokens([systemMessage, last]);
  const kept: ModelMessage[] = [];
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const message = history[index];
    if (message === undefined) continue;
    const cost = estimateMessageTokens([message]);
    if (cost > room) {
      // the first message that does not fit goes in shortened, when there is room for a useful part of it
      if (room >= 60) kept.unshift({ role: message.role, content: truncateToTokens(message.content, room - 8) });
      break;
    }
    kept.unshift(message);
    room -= cost;
  }
  // the conversation after the system message starts with the candidate's side, as chat templates expect
  const conversation = kept[0]?.role === 'assistant' ? [{ role: 'user' as const, content: render('conversation_start') }, ...kept] : kept;
  return mergeNeighbours([systemMessage, ...conversation, last]);
}
