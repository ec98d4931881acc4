/**
 * Reads the interviewer model's streamed reply: drops a leading `<think>…</think>` block, takes off the
 * leading decision line (`[[FOLLOW_UP]]`, `[[PROBE]]` or `[[NEXT]]`) that the prompt asks for, and passes the rest on
 * as deltas with the reply's outer whitespace trimmed, so that the deltas joined are exactly the reply
 * that is stored. Only the first few characters wait (until the decision line is read or ruled out);
 * everything after goes out at once.
 */

export type ReplyChoice = 'follow_up' | 'probe' | 'next';

const DECISION_LINE = /^\s*\**\s*\[{1,2}\s*(FOLLOW[\s_-]*UP|NEXT|PROBE)\s*\]{1,2}\s*\**[ \t]*(?:\r?\n)?/i;
/** What the start of a decision line can look like while it is still arriving. */
const DECISION_PREFIX = /^\s*\**\s*(\[{1,2}[A-Za-z_\s-]*\]?)?$/;
const THINKING_START = /^\s*<think>/;
/** What the start of `<think>` can look like while it is still arriving. */
const THINKING_PREFIX = /^\s*<(t(h(i(n(k)?)?)?)?)?$/;
/** Past this many characters without a decision line, there is none. */
const MAX_DECISION_LENGTH = 32;

/** The decision line's word: `[[PROBE]]` is a follow-up that probes a strong answer (senior and lead levels). */
function choiceOf(word: string | undefined): ReplyChoice {
  if (/^follow/i.test(word ?? '')) return 'follow_up';
  return /^probe/i.test(word ?? '') ? 'probe' : 'next';
}

export class ReplyReader {
  /** Everything passed on so far; always the concatenation of the deltas. */
  text = '';
  choice: ReplyChoice | undefined;
  private head = '';
  private headRead = false;
  private pendingWhitespace = '';

  constructor(private readonly onDelta: ((delta: string) => void) | undefined) {}

  push(delta: string): void {
    if (this.headRead) {
      this.emit(delta);
      return;
    }
    this.head += delta;
    // reasoning models served raw (Qwen3, DeepSeek-R1 on Ollama) think aloud first: never the candidate's to hear
    if (THINKING_START.test(this.head)) {
      const end = this.head.indexOf('</think>');
      if (end === -1) return;
      this.head = this.head.slice(end + '</think>'.length);
      if (this.head === '') return;
    } else if (THINKING_PREFIX.test(this.head)) {
      return;
    }
    const decision = DECISION_LINE.exec(this.head);
    if (decision !== null) {
      // a bare "[[NEXT]]" may still be waiting for its line break
      if (decision[0].length === this.head.length && !/\n$/.test(this.head)) return;
      this.choice = choiceOf(decision[1]);
      this.releaseHead(this.head.slice(decision[0].length));
      return;
    }
    if (this.head.length < MAX_DECISION_LENGTH && DECISION_PREFIX.test(this.head)) return;
    this.releaseHead(this.head);
  }

  /** The model finished: whatever is still held back is the reply's start (or nothing). */
  end(): void {
    if (this.headRead) return;
    // a model that only thought said nothing
    if (THINKING_START.test(this.head)) this.head = this.head.includes('</think>') ? this.head.slice(this.head.indexOf('</think>') + 8) : '';
    const decision = DECISION_LINE.exec(this.head);
    if (decision !== null) {
      this.choice = choiceOf(decision[1]);
      this.releaseHead(this.head.slice(decision[0].length));
    } else {
      this.releaseHead(this.head);
    }
  }

  private releaseHead(rest: string): void {
    this.headRead = true;
    this.head = '';
    this.emit(rest);
  }

  private emit(piece: string): void {
    let text = this.pendingWhitespace + piece;
    if (this.text === '') text = text.trimStart();
    const body = text.trimEnd();
    this.pendingWhitespace = text.slice(body.length);
    if (body === '') return;
    this.text += body;
    this.onDelta?.(body);
  }
}

/** The question a follow-up reply asks: its last sentence with a question mark, else the whole reply. */
export function lastQuestionOf(reply: string): string {
  const sentences = reply.match(/[^.!?。！？\n]+[.!?。！？]*/g) ?? [];
  for (let index = sentences.length - 1; index >= 0; index -= 1) {
    const sentence = sentences[index]?.trim();
    if (sentence !== undefined && /[?？]/.test(sentence)) return sentence;
  }
  return reply.trim();
}
