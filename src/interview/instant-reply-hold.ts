import type { ServerMessage } from '@viva/protocol/server-messages.js';

/**
 * Holds a turn's `status` and `ai_response_delta` messages while its reply may be computed in one go, so
 * that they leave with the stored reply in one write instead of one write before it.
 *
 * An engine that writes its reply at once (the built-in one) hands over every piece before the event loop
 * turns; the reply itself goes out only once the group commit has stored it, a few loop turns later. The
 * pieces arriving first show the candidate nothing the reply does not show a few milliseconds later, and
 * cost the server a socket write of their own on every turn. A model that streams its reply lets the loop
 * turn between pieces: then what is held goes at once and the rest streams as it comes.
 */
export class InstantReplyHold {
  #held: ServerMessage[] | null = [];
  #streaming: NodeJS.Immediate | undefined;

  constructor(private readonly send: (message: ServerMessage) => void) {}

  /** Holds the message, or sends it when the turn turned out to stream. */
  push(message: ServerMessage): void {
    if (this.#held === null) {
      this.send(message);
      return;
    }
    this.#held.push(message);
    // still unfinished when the loop turns: the reply is streaming
    this.#streaming ??= setImmediate(() => this.release());
  }

  /** The reply was complete before the loop turned: hold what there is until `release`. */
  replyComplete(): void {
    if (this.#streaming !== undefined) clearImmediate(this.#streaming);
    this.#streaming = undefined;
  }

  /** Sends what is held, in order, and holds nothing from now on. */
  release(): void {
    if (this.#streaming !== undefined) clearImmediate(this.#streaming);
    this.#streaming = undefined;
    const held = this.#held;
    this.#held = null;
    for (const message of held ?? []) this.send(message);
  }
}
