import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { VivaClientError } from './viva-client-error.js';

type Timer = ReturnType<typeof setTimeout>;

/** The server message that completes an input: a reply for answers, `interview_ended` for the end. */
export type AnswerType = 'ai_response' | 'interview_ended';

export interface PendingInput {
  readonly id: string;
  /** The message as sent, re-sent verbatim (same `id`) after a reconnect. */
  readonly frame: string;
  readonly answeredBy: AnswerType;
  /** The connection it was last sent on (0: not sent yet). */
  sentOn: number;
  readonly promise: Promise<ServerMessage>;
}

interface Entry extends PendingInput {
  resolve(message: ServerMessage): void;
  reject(error: VivaClientError): void;
  timer: Timer | undefined;
}

/**
 * The inputs sent (or waiting to be sent) whose answer has not arrived, in the order they were made.
 * They are what makes a flaky network safe: each is re-sent with its original `id` after a reconnect,
 * and the server answers an id it already completed with the stored reply instead of a second turn.
 */
export class PendingInputs {
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  get(id: string): PendingInput | undefined {
    return this.entries.get(id);
  }

  /** Registers an input; it fails with TIMEOUT after `timeoutMs` (no timer when not finite). */
  add(id: string, frame: string, answeredBy: AnswerType, timeoutMs: number): PendingInput {
    let resolve!: (message: ServerMessage) => void;
    let reject!: (error: VivaClientError) => void;
    const promise = new Promise<ServerMessage>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    // handled here so that an input made now and awaited later is never an "unhandled rejection";
    // whoever awaits the promise still gets the error
    promise.catch(() => undefined);
    const entry: Entry = { id, frame, answeredBy, sentOn: 0, promise, resolve, reject, timer: undefined };
    if (Number.isFinite(timeoutMs)) {
      entry.timer = setTimeout(() => {
        this.fail(id, new VivaClientError('TIMEOUT', `No answer to input ${id} within ${timeoutMs} ms.`, { retryable: true, replyTo: id }));
      }, timeoutMs);
    }
    this.entries.set(id, entry);
    return entry;
  }

  /** In the order they were made. */
  values(): PendingInput[] {
    return [...this.entries.values()];
  }

  /** Resolves the input `message.reply_to` when `message` is the kind of answer it waits for. */
  complete(message: ServerMessage): boolean {
    const entry = message.reply_to === undefined ? undefined : this.entries.get(message.reply_to);
    if (entry === undefined || entry.answeredBy !== message.type) return false;
    this.remove(entry);
    entry.resolve(message);
    return true;
  }

  /** Resolves input `id` with `message` whatever its reply_to (an answer found another way). */
  resolve(id: string, message: ServerMessage): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.remove(entry);
    entry.resolve(message);
    return true;
  }

  fail(id: string, error: VivaClientError): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.remove(entry);
    entry.reject(error);
    return true;
  }

  failAll(error: VivaClientError): void {
    for (const entry of [...this.entries.values()]) {
      this.remove(entry);
      entry.reject(error);
    }
  }

  private remove(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.delete(entry.id);
  }
}
