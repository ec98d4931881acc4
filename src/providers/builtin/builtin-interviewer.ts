import type { Interviewer, RespondRequest, RespondResult } from '../../interview/interview-ports.js';
import { writeTurn } from './interview-turn.js';
import { splitIntoPieces } from './reply-streaming.js';

/**
 * The built-in interviewer: greets, asks the planned questions, follows up on thin answers, handles
 * "repeat", "skip" and "I don't know", and closes, in the words of its phrasebook, on the turn the
 * domain's rules planned. Offline and deterministic: the same snapshot and input always give the same reply.
 */
export class BuiltinInterviewer implements Interviewer {
  readonly provider = 'builtin';

  async respond(request: RespondRequest): Promise<RespondResult> {
    const outcome = writeTurn(request.snapshot, request.plan);
    const pieces = splitIntoPieces(outcome.reply);
    let produced = '';
    for (const piece of pieces) {
      if (request.abortSignal?.aborted === true) return { reply: produced, decision: outcome.decision, cancelled: true };
      request.onDelta?.(piece);
      produced += piece;
    }
    return outcome;
  }
}
