/**
 * Finds clips with nothing in them worth transcribing. Whisper-style recognizers invent text for silence
 * ("Thank you for watching"), so near-silent clips are better refused before they are sent.
 *
 * Only uncompressed WAV is measured: the other formats would need a codec, and guessing from their
 * metadata (ReplayGain tags, bitrate) says nothing reliable about a short recording.
 */

import type { DecodedAudio } from './audio-decoder.js';
import { readWavLayout, type WavLayout } from './audio-formats.js';

export interface SilenceOptions {
  /** A window at least this loud (RMS, dB relative to full scale) holds sound. @default -45 */
  soundLevelDbfs?: number;
  /** Sound shorter than this in total (clicks, a bumped microphone) still counts as silence. @default 100 ms */
  minSoundMs?: number;
}

/** Loudness of a WAV recording, measured over 20 ms windows. */
export interface WavLevels {
  durationMs: number;
  /** Highest absolute sample, dBFS (-Infinity for digital silence). */
  peakDbfs: number;
  /** RMS of the whole clip, dBFS. */
  rmsDbfs: number;
  /** Total length of the windows at or above the sound level, milliseconds. */
  soundMs: number;
}

const WINDOW_MS = 20;
const DEFAULT_SOUND_LEVEL_DBFS = -45;
const DEFAULT_MIN_SOUND_MS = 100;

/**
 * Whether the clip is (near) silence: true or false for PCM or float WAV, undefined (unknown) for every
 * other format and for WAV encodings it cannot read (A-law, ADPCM...). Speech anywhere in a long clip
 * makes it not silent, since windows are judged one by one rather than the clip's average.
 */
export async function isSilent(decoded: DecodedAudio, options: SilenceOptions = {}): Promise<boolean | undefined> {
  if (decoded.format !== 'wav') return undefined;
  const levels = measureWavLevels(decoded.bytes, options.soundLevelDbfs ?? DEFAULT_SOUND_LEVEL_DBFS);
  if (levels === undefined) return undefined;
  return levels.soundMs < (options.minSoundMs ?? DEFAULT_MIN_SOUND_MS);
}

/** Measures a WAV file's levels, or undefined when its samples are in an encoding this does not read. */
export function measureWavLevels(bytes: Buffer, soundLevelDbfs: number = DEFAULT_SOUND_LEVEL_DBFS): WavLevels | undefined {
  const layout = readWavLayout(bytes);
  if (layout === undefined || layout.channels === 0 || layout.sampleRate === 0) return undefined;
  const readSample = sampleReader(layout);
  if (readSample === undefined) return undefined;

  const bytesPerSample = layout.bitsPerSample / 8;
  const frameBytes = layout.blockAlign;
  // samples padded into wider slots (20-bit in 24) have a block size this reader does not expect
  if (frameBytes !== bytesPerSample * layout.channels) return undefined;
  const frames = Math.floor(layout.dataLength / frameBytes);
  const framesPerWindow = Math.max(1, Math.round((layout.sampleRate * WINDOW_MS) / 1000));
  const soundLevel = 10 ** (soundLevelDbfs / 20);

  let peak = 0;
  let totalSquares = 0;
  let soundFrames = 0;
  for (let windowStart = 0; windowStart < frames; windowStart += framesPerWindow) {
    const windowEnd = Math.min(frames, windowStart + framesPerWindow);
    let windowSquares = 0;
    for (let frame = windowStart; frame < windowEnd; frame += 1) {
      const frameOffset = layout.dataOffset + frame * frameBytes;
      for (let channel = 0; channel < layout.channels; channel += 1) {
        const sample = readSample(bytes, frameOffset + channel * bytesPerSample);
        const magnitude = Math.abs(sample);
        if (magnitude > peak) peak = magnitude;
        windowSquares += sample * sample;
      }
    }
    totalSquares += windowSquares;
    const windowSamples = (windowEnd - windowStart) * layout.channels;
    if (Math.sqrt(windowSquares / windowSamples) >= soundLevel) soundFrames += windowEnd - windowStart;
  }

  const samples = frames * layout.channels;
  return {
    durationMs: Math.round((frames / layout.sampleRate) * 1000),
    peakDbfs: toDbfs(peak),
    rmsDbfs: toDbfs(samples === 0 ? 0 : Math.sqrt(totalSquares / samples)),
    soundMs: Math.round((soundFrames / layout.sampleRate) * 1000),
  };
}

function toDbfs(amplitude: number): number {
  return amplitude === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(amplitude);
}

type SampleReader = (bytes: Buffer, offset: number) => number;

/** Reads one sample scaled to -1..1, for the encodings WAV recorders actually write. */
function sampleReader(layout: WavLayout): SampleReader | undefined {
  const PCM = 1;
  const IEEE_FLOAT = 3;
  if (layout.formatTag === PCM) {
    switch (layout.bitsPerSample) {
      case 8:
        // 8-bit WAV is unsigned, centred on 128
        return (bytes, offset) => ((bytes[offset] ?? 128) - 128) / 128;
      case 16:
        return (bytes, offset) => bytes.readInt16LE(offset) / 32768;
      case 24:
        return (bytes, offset) => bytes.readIntLE(offset, 3) / 8388608;
      case 32:
        return (bytes, offset) => bytes.readInt32LE(offset) / 2147483648;
      default:
        return undefined;
    }
  }
  if (layout.formatTag === IEEE_FLOAT) {
    if (layout.bitsPerSample === 32) return (bytes, offset) => bytes.readFloatLE(offset);
    if (layout.bitsPerSample === 64) return (bytes, offset) => bytes.readDoubleLE(offset);
  }
  return undefined;
}
