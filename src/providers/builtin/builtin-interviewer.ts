import type { Interviewer, RespondRequest, RespondResult } from '../../interview/interview-ports.js';
import { decideTurn } from './interview-turn.js';
import { splitIntoPieces } from './reply-streaming.js';

/**
 * The built-in interviewer: greets, asks the planned questions, follows up on thin answers, handles
 * "repeat", "skip" and "I don't know", and closes within the question and time budget. Offline and
 * deterministic: the same snapshot and input always give the same reply.
 */
export class BuiltinInterviewer implements Interviewer {
  readonly provider = 'builtin';

  async respond(request: RespondRequest): Promise<RespondResult> {
    const outcome = decideTurn(request.snapshot, request.input, request.now);
    const pieces = splitIntoPieces(outcome.reply);
    let produced = '';
    for (const piece of pieces) {
      if (request.abortSignal?.aborted === true) {
        // a cut-short turn leaves the interview where it was: the candidate never saw the rest (the
        // next question, say), so their input is answered afresh next time instead of half-recorded
        return {
          reply: produced,
          progress: structuredClone(request.snapshot.progress),
          follow_up: outcome.follow_up,
          ended: false,
          cancelled: true,
        };
      }
      request.onDelta?.(piece);
      produced += piece;
    }
    return { reply: outcome.reply, progress: outcome.progress, follow_up: outcome.follow_up, ended: outcome.ended };
  }
}
