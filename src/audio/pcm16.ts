/**
 * Raw 16-bit little-endian mono PCM: the format of live voice (docs/protocol.md §9) in both directions.
 * Small, allocation-light helpers; no I/O.
 */

/** Samples of a PCM16 buffer as a view (copied only when the buffer is not 2-byte aligned). */
export function pcm16Samples(bytes: Buffer): Int16Array {
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
  const copy = Buffer.from(bytes);
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

export function pcm16DurationMs(byteLength: number, sampleRate: number): number {
  return (byteLength / 2 / sampleRate) * 1000;
}

/**
 * Linear-interpolation resampling. Good enough for speech going to a recognizer or a VAD, and for a
 * synthetic voice going to a speaker; not for music. `carry` keeps the position across chunks of a stream.
 */
export class LinearResampler {
  private position = 0;
  private previous = 0;
  private readonly step: number;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.step = fromRate / toRate;
  }

  /** Resamples the next chunk of a stream; returns the output samples. */
  push(input: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return input;
    const count = input.length;
    if (count === 0) return new Int16Array(0);
    const output = new Int16Array(Math.ceil((count + 1) / this.step) + 1);
    let written = 0;
    // `position` counts input samples from this chunk's first; -1 is the previous chunk's last sample
    const at = (index: number) => (index < 0 ? this.previous : (input[index] ?? 0));
    for (;;) {
      const base = Math.floor(this.position);
      if (base + 1 > count - 1) break;
      const fraction = this.position - base;
      const left = at(base);
      output[written++] = Math.round(left + (at(base + 1) - left) * fraction);
      this.position += this.step;
    }
    this.previous = input[count - 1] ?? 0;
    this.position -= count;
    return output.subarray(0, written);
  }
}

/** Resamples a whole buffer of PCM16 (one call, no stream state). */
export function resamplePcm16(bytes: Buffer, fromRate: number, toRate: number): Buffer {
  if (fromRate === toRate) return bytes;
  const out = new LinearResampler(fromRate, toRate).push(pcm16Samples(bytes));
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** A WAV file (RIFF, PCM 16-bit mono) around raw samples, for recognizers that take files. */
export function pcm16ToWav(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** The samples and rate of a PCM16 mono WAV file, or null for anything else. */
export function wavToPcm16(wav: Buffer): { pcm: Buffer; sampleRate: number } | null {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let sampleRate = 0;
  let bits = 0;
  let channels = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(body + 2);
      sampleRate = wav.readUInt32LE(body + 4);
      bits = wav.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16 || channels !== 1 || sampleRate === 0) return null;
      const end = Math.min(wav.length, body + size);
      return { pcm: wav.subarray(body, end - ((end - body) % 2)), sampleRate };
    }
    offset = body + size + (size % 2);
  }
  return null;
}
