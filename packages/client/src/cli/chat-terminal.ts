import { clearLine, cursorTo, type Interface } from 'node:readline';
import type { AiResponseMessage } from '../viva-client-types.js';
import { cliText, type CliText } from './cli-text.js';
import type { LineReader } from './line-reader.js';

type Style = 'interviewer' | 'note' | 'notice' | 'error' | 'strong';

const ANSI: Record<Style, [string, string]> = {
  interviewer: ['\x1b[36m', '\x1b[39m'],
  note: ['\x1b[2m', '\x1b[22m'],
  notice: ['\x1b[33m', '\x1b[39m'],
  error: ['\x1b[31m', '\x1b[39m'],
  strong: ['\x1b[1m', '\x1b[22m'],
};

/**
 * The terminal side of the chat: the interviewer's replies as they stream in, notes, and the prompt.
 * Output that arrives while the user is typing (a notice, a reconnect) is printed above the prompt,
 * which is then drawn again with what was typed so far.
 */
export class ChatTerminal {
  private streaming: { turn: number; text: string } | undefined;
  /** The interviewer's label, in the interview's language. */
  private interviewerLabel = 'Interviewer:';
  private text: CliText = cliText('en');
  private readonly color: boolean;

  constructor(
    private readonly output: NodeJS.WriteStream,
    private readonly readline: Interface,
    private readonly reader: LineReader,
    /** Typing in a terminal (which echoes the input), as opposed to piped input. */
    private readonly interactive: boolean,
    environment: Record<string, string | undefined>,
  ) {
    this.color = output.isTTY === true && environment.NO_COLOR === undefined;
  }

  style(style: Style, text: string): string {
    if (!this.color) return text;
    const [open, close] = ANSI[style];
    return `${open}${text}${close}`;
  }

  /** A line of output, kept clear of the prompt and of a reply being streamed. */
  line(text: string): void {
    this.endStream();
    this.aboveThePrompt(() => this.output.write(`${text}\n`));
  }

  note(text: string): void {
    this.line(this.style('note', `[${text}]`));
  }

  error(text: string): void {
    this.line(this.style('error', text));
  }

  /** Piped input is not echoed by a terminal; show it, so the transcript reads like a conversation. */
  echo(text: string): void {
    if (!this.interactive) this.output.write(`${text}\n`);
  }

  /** Labels the interviewer's lines and the progress in the interview's language (`Interviewer` or `面试官`). */
  setLabels(text: CliText): void {
    this.interviewerLabel = `${text.interviewer}:`;
    this.text = text;
  }

  delta(turn: number, delta: string): void {
    if (this.streaming?.turn !== turn) {
      this.endStream();
      this.aboveThePrompt(() => this.output.write(`${this.style('interviewer', this.interviewerLabel)} `));
      this.streaming = { turn, text: '' };
    }
    this.streaming.text += delta;
    this.output.write(delta);
  }

  /** The whole reply: completes the streamed text, or prints it when nothing was streamed (a replay). */
  reply(message: AiResponseMessage): void {
    const full = message.data.ai_response;
    const streamed = this.streaming?.turn === message.data.turn ? this.streaming.text : undefined;
    this.streaming = undefined;
    if (streamed === undefined) {
      this.line(`${this.style('interviewer', this.interviewerLabel)} ${full}${message.data.cancelled === true ? ' …' : ''}`);
    } else if (full.startsWith(streamed)) {
      this.output.write(`${full.slice(streamed.length)}\n`);
    } else {
      // the stream was cut (a reconnect mid-reply): show the reply whole rather than a patched one
      this.output.write('\n');
      this.line(`${this.style('interviewer', this.interviewerLabel)} ${full}`);
    }
    const progress = describeProgress(message, this.text);
    if (progress !== undefined) this.line(this.style('note', progress));
  }

  private endStream(): void {
    if (this.streaming === undefined) return;
    this.streaming = undefined;
    this.output.write('\n');
  }

  private aboveThePrompt(write: () => void): void {
    if (!this.reader.waiting) {
      write();
      return;
    }
    if (this.interactive) {
      clearLine(this.output, 0);
      cursorTo(this.output, 0);
    } else {
      this.output.write('\n');
    }
    write();
    this.readline.prompt(true);
  }
}

/** "(question 2 of 5)", "(question 2 of 5, follow-up)", "（第 2 题，共 5 题）", or nothing outside the questions. */
export function describeProgress(message: AiResponseMessage, text: CliText = cliText('en')): string | undefined {
  const { state, question_number: number, total_questions: total } = message.data.interview;
  if (state !== 'in_progress' || number < 1 || total < 1) return undefined;
  return text.progress(number, total, message.data.follow_up);
}
