import type { Interviewer, RespondRequest, RespondResult } from '../../interview/interview-ports.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { LanguageModel } from '../language-model.js';
import { ProviderError } from '../provider-error.js';
import { buildInterviewerMessages } from './interviewer-context.js';
import type { ModelRoleOptions } from './model-planner.js';
import type { PromptLibrary } from './prompt-library.js';
import { ReplyReader, lastQuestionOf } from './reply-reader.js';

/** A spoken reply is a few sentences; far beyond this the model is rambling or looping. */
const MAX_REPLY_CHARACTERS = 4_000;

/**
 * A deadline aborts with a VivaError (AI_TIMEOUT), which must surface as such; any other abort reason is
 * the candidate interrupting (the coordinator's CancelledByClient, an HTTP client hanging up).
 */
export function isClientCancel(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && !(signal.reason instanceof VivaError);
}

/**
 * The interviewer backed by a language model. The domain's rules decide where the turn takes the
 * interview (the request's plan); the model writes the reply, streamed to the candidate as it is written, and
 * decides whether an answer gets a follow-up question. A cancel stops the model at once and returns the
 * text so far, leaving the interview where it was, as the built-in interviewer does.
 */
export class ModelInterviewer implements Interviewer {
  readonly provider: string;

  constructor(
    private readonly model: LanguageModel,
    private readonly prompts: PromptLibrary,
    private readonly options: Pick<ModelRoleOptions, 'contextTokens'>,
  ) {
    this.provider = model.provider;
  }

  async respond(request: RespondRequest): Promise<RespondResult> {
    const { snapshot, input, abortSignal, plan: turn } = request;
    const messages = buildInterviewerMessages(snapshot, input, turn, { prompts: this.prompts, contextTokens: this.options.contextTokens });
    const reader = new ReplyReader(request.onDelta);
    try {
      const parts = this.model.stream({ messages, abortSignal, telemetry: { operation: 'reply', sessionId: snapshot.session_id } });
      for await (const part of parts) {
        if (part.type === 'text-delta') reader.push(part.delta);
        // a model caught in a loop is stopped (leaving the loop aborts its request); what it said stands
        if (reader.text.length > MAX_REPLY_CHARACTERS) break;
      }
    } catch (error) {
      if (isClientCancel(abortSignal)) {
        // only what the candidate saw becomes the turn's reply, and the interview stays where it was
        return { reply: reader.text, decision: { kind: 'next' }, cancelled: true };
      }
      throw error;
    }
    reader.end();
    if (reader.text === '') throw new ProviderError('bad_output', 'The model wrote an empty reply.');

    const option = turn.followUp;
    // without a decision line, a thin answer is followed up (the domain says whether one is allowed)
    const choice = option === undefined ? 'next' : (reader.choice ?? (option.thin ? 'follow_up' : 'next'));
    if (choice === 'next') return { reply: reader.text, decision: { kind: 'next' } };
    // a probe counts as one only where the domain offered it; the hint is recorded as the hint whatever the line said
    return { reply: reader.text, decision: { kind: 'follow_up', question: lastQuestionOf(reader.text), ...(choice === 'probe' ? { purpose: 'probe' } : {}) } };
  }
}
