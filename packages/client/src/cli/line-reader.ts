import type { Interface } from 'node:readline';

/**
 * Lines from readline, one at a time, when the program is ready for the next. Piped input (a script, a
 * test) arrives all at once and waits here in order; the end of input reads as `undefined`.
 */
export class LineReader {
  private readonly buffered: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private ended = false;

  constructor(
    private readonly readline: Interface,
    /** A terminal echoes typed lines itself; a line typed ahead was shown already, without a prompt. */
    private readonly interactive: boolean,
  ) {
    readline.on('line', (line) => {
      if (this.waiter === undefined) {
        this.buffered.push(line);
        return;
      }
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(line);
    });
    readline.on('close', () => this.end());
  }

  /** Whether a prompt is waiting for the user right now. */
  get waiting(): boolean {
    return this.waiter !== undefined;
  }

  /** The next line, showing `prompt` first; undefined at the end of input. */
  read(prompt: string): Promise<string | undefined> {
    this.readline.setPrompt(prompt);
    const line = this.buffered.shift();
    if (line !== undefined) {
      if (!this.interactive) this.readline.prompt();
      return Promise.resolve(line);
    }
    if (this.ended) return Promise.resolve(undefined);
    this.readline.prompt();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Ends reading: a pending `read` resolves with undefined. */
  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }
}
