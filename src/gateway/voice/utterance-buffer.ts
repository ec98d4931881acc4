/**
 * The candidate's audio of the utterance in progress, raw PCM16 at the stream's rate. Before any speech is
 * heard it keeps only the last `prefixMs` (so the first syllable is not clipped, and ten minutes of
 * silence cost nothing); once speech is heard it keeps everything, up to `maxMs`.
 */
export class UtteranceBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private readonly bytesPerMs: number;

  constructor(
    readonly sampleRate: number,
    private readonly prefixMs: number,
    private readonly maxMs: number,
  ) {
    this.bytesPerMs = (sampleRate * 2) / 1000;
  }

  get durationMs(): number {
    return this.bytes / this.bytesPerMs;
  }

  get full(): boolean {
    return this.durationMs >= this.maxMs;
  }

  append(pcm: Buffer): void {
    this.chunks.push(pcm);
    this.bytes += pcm.length;
  }

  /** Drops audio from the front so that only the last `prefixMs` remain. */
  trimToPrefix(): void {
    const keep = Math.round(this.prefixMs * this.bytesPerMs) & ~1;
    while (this.bytes > keep) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.bytes - keep;
      if (first.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.length;
      } else {
        // a copy, so the big chunk it came from can be freed
        this.chunks[0] = Buffer.from(first.subarray(excess));
        this.bytes -= excess;
      }
    }
  }

  /** Everything buffered, as one buffer (the buffer keeps it). */
  peek(): Buffer {
    if (this.chunks.length !== 1) {
      this.chunks = [Buffer.concat(this.chunks, this.bytes)];
    }
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Everything buffered; the buffer is left empty. */
  take(): Buffer {
    const all = this.peek();
    this.clear();
    return all;
  }

  clear(): void {
    this.chunks = [];
    this.bytes = 0;
  }
}
