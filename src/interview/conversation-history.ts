import type { ConversationTurn } from './interview-types.js';
import type { StoredTurn } from './session-store.js';

/**
 * The stored turns as the interviewer reads them, oldest first. A spoken reply cut short counts for what
 * the candidate heard of it (docs/protocol.md §9).
 *
 * Every turn of a long interview reads the whole history again, so this is a plain loop that makes one
 * object per turn: `map` with a spread for the optional flag made a second, throwaway object per turn and
 * cost about three times as much at sixty turns.
 */
export function conversationOf(turns: readonly StoredTurn[]): ConversationTurn[] {
  const history: ConversationTurn[] = [];
  for (const turn of turns) {
    history.push(
      turn.interrupted === true
        ? { candidate: turn.candidate_text, interviewer: turn.heard_text ?? '', cancelled: turn.cancelled, interrupted: true }
        : { candidate: turn.candidate_text, interviewer: turn.reply, cancelled: turn.cancelled },
    );
  }
  return history;
}
