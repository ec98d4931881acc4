import type { Interviewer, RespondRequest } from '../interview-ports.js';
import type { InterviewProgress } from '../interview-types.js';
import { planTurn, settleTurn } from './turn-rules.js';

/** One interviewer turn as the caller stores it: the reply and where it leaves the interview. */
export interface TurnResult {
  reply: string;
  /** The progress after this turn; the caller stores it with the reply in one transaction. */
  progress: InterviewProgress;
  /** The reply is a follow-up to the previous question rather than a new one. */
  follow_up: boolean;
  /** This turn completed the interview (plan or budget done). */
  ended: boolean;
  /** The reply was cut short by the abort signal; `reply` holds what was produced. */
  cancelled?: boolean;
}

/**
 * Plans the turn by the domain's rules, lets the engine write it, and settles the progress from the
 * engine's decision. A cut-short turn leaves the interview where it was: the candidate never saw the rest
 * (the next question, say), so their input is answered afresh next time instead of half-recorded.
 */
export async function takeTurn(interviewer: Interviewer, request: Omit<RespondRequest, 'plan'>): Promise<TurnResult> {
  const plan = planTurn(request.snapshot, request.input, request.now);
  const result = await interviewer.respond({ ...request, plan });
  const outcome = settleTurn(plan, result.decision);
  if (result.cancelled === true) {
    return { reply: result.reply, progress: structuredClone(request.snapshot.progress), follow_up: outcome.follow_up, ended: false, cancelled: true };
  }
  return { reply: result.reply, ...outcome };
}
