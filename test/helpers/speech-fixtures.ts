/**
 * Real speech for tests: espeak-ng says the text, sox (wav, mp3, flac, ogg) or ffmpeg (webm, m4a, mp4)
 * converts it. Files are cached in a temporary directory keyed by everything that shapes them, so a test
 * run makes each clip once, even across the parallel processes of the test runner.
 *
 * Debian packages: espeak-ng, sox, libsox-fmt-all (mp3, ogg), ffmpeg (webm, m4a, mp4, ogg with Opus).
 *
 * ```ts
 * const reason = await missingSpeechTools('webm');
 * if (reason) return t.skip(reason);
 * const webm = await makeSpeech('I led the migration to Postgres', 'webm');
 * ```
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AudioFormat } from '@viva/protocol/client-messages.js';

const run = promisify(execFile);

/** Bump to invalidate cached files when the recipes below change. */
const RECIPE_VERSION = 2;
const cacheDirectory = join(tmpdir(), `viva-speech-fixtures-${process.getuid?.() ?? 'user'}`);

export interface SpeechOptions {
  /** An espeak-ng voice, such as `en-us`, `en-gb` or `cmn` (Mandarin). @default 'en-us' */
  voice?: string;
  /** Words per minute. @default 160 */
  wordsPerMinute?: number;
  /** Sample rate of the output. @default 16000 (what speech recognizers resample to anyway) */
  sampleRate?: number;
  /**
   * Write the file as a live recorder does, without seeking back: webm without a duration (like
   * MediaRecorder's), fragmented MP4 with an empty `moov`. Only for webm, m4a and mp4.
   */
  streamed?: boolean;
  /** For ogg: Opus (what Firefox's MediaRecorder writes, made with ffmpeg) instead of sox's Vorbis. */
  opus?: boolean;
}

type Tool = 'espeak-ng' | 'sox' | 'ffmpeg';

const toolProbes = new Map<Tool, Promise<boolean>>();

function hasTool(tool: Tool): Promise<boolean> {
  let probe = toolProbes.get(tool);
  if (probe === undefined) {
    const versionFlag = tool === 'ffmpeg' ? '-version' : '--version';
    probe = run(tool, [versionFlag]).then(
      () => true,
      () => false,
    );
    toolProbes.set(tool, probe);
  }
  return probe;
}

function usesFfmpeg(format: AudioFormat, opus: boolean): boolean {
  return format === 'webm' || format === 'm4a' || format === 'mp4' || (format === 'ogg' && opus);
}

function toolsFor(format: AudioFormat, source: 'speech' | 'silence', opus: boolean): Tool[] {
  const tools: Tool[] = source === 'speech' ? ['espeak-ng', 'sox'] : ['sox'];
  if (usesFfmpeg(format, opus)) tools.push('ffmpeg');
  return tools;
}

/**
 * Why clips of this format cannot be made here (a sentence naming the missing programs and the Debian
 * packages to install), or undefined when they can. Meant for `t.skip(reason)`.
 */
export async function missingSpeechTools(
  format: AudioFormat,
  source: 'speech' | 'silence' = 'speech',
  options: Pick<SpeechOptions, 'opus'> = {},
): Promise<string | undefined> {
  const needed = toolsFor(format, source, options.opus ?? false);
  const present = await Promise.all(needed.map(hasTool));
  const missing = needed.filter((_, index) => present[index] !== true);
  if (missing.length === 0) return undefined;
  return `cannot make ${format} test audio: ${missing.join(', ')} not installed (apt-get install -y espeak-ng sox libsox-fmt-all ffmpeg)`;
}

/** Real speech saying `text`, encoded as `format`. Throws when a needed program is missing. */
export async function makeSpeech(text: string, format: AudioFormat, options: SpeechOptions = {}): Promise<Buffer> {
  const voice = options.voice ?? 'en-us';
  const wordsPerMinute = options.wordsPerMinute ?? 160;
  const sampleRate = options.sampleRate ?? 16000;
  const streamed = options.streamed ?? false;
  const opus = options.opus ?? false;
  const key = { kind: 'speech', text, voice, wordsPerMinute, sampleRate, streamed, opus, format };
  return cached(key, format, async (work) => {
    await requireTools(format, 'speech', opus);
    const textFile = join(work, 'text.txt');
    const spoken = join(work, 'spoken.wav');
    await writeFile(textFile, text, 'utf8');
    // the text goes through a file, so that any text (leading dashes, quotes, newlines) is spoken as is
    await run('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-f', textFile, '-w', spoken]);
    return encode(spoken, format, { sampleRate, streamed, opus, work });
  });
}

export interface SilenceOptions {
  /** @default 16000 */
  sampleRate?: number;
  /**
   * Add white noise of about this peak level (dBFS; -60 is a quiet room's hiss) instead of leaving
   * every sample zero.
   */
  noiseDbfs?: number;
}

/** Silence of the given length in seconds, encoded as `format`: all samples zero unless `noiseDbfs` is set. */
export async function makeSilence(seconds: number, format: AudioFormat, options: SilenceOptions = {}): Promise<Buffer> {
  const sampleRate = options.sampleRate ?? 16000;
  const noiseDbfs = options.noiseDbfs;
  return cached({ kind: 'silence', seconds, sampleRate, noiseDbfs, format }, format, async (work) => {
    await requireTools(format, 'silence', false);
    const silent = join(work, 'silent.wav');
    // `synth` with no noise type would make a sine tone, so true silence is an empty input padded by `trim`
    const effect =
      noiseDbfs === undefined
        ? ['trim', '0', String(seconds)]
        : ['synth', String(seconds), 'whitenoise', 'vol', String(10 ** (noiseDbfs / 20))];
    // -D: no dither, which would otherwise turn true silence into +-1 LSB of noise
    await run('sox', ['-D', '-n', '-r', String(sampleRate), '-b', '16', '-c', '1', silent, ...effect]);
    return encode(silent, format, { sampleRate, streamed: false, opus: false, work });
  });
}

async function requireTools(format: AudioFormat, source: 'speech' | 'silence', opus: boolean): Promise<void> {
  const reason = await missingSpeechTools(format, source, { opus });
  if (reason !== undefined) throw new Error(reason);
}

/** Converts a WAV file into `format`, mono at `sampleRate`; returns the path of the result. */
async function encode(
  input: string,
  format: AudioFormat,
  options: { sampleRate: number; streamed: boolean; opus: boolean; work: string },
): Promise<string> {
  const rate = String(options.sampleRate);
  if (!usesFfmpeg(format, options.opus)) {
    const output = join(options.work, `out.${format}`);
    const sampleFormat = format === 'wav' || format === 'flac' ? ['-b', '16'] : [];
    await run('sox', ['-D', input, ...sampleFormat, '-c', '1', '-r', rate, output]);
    return output;
  }
  const output = join(options.work, `out.${format}`);
  const codec =
    format === 'webm' || format === 'ogg'
      ? ['-c:a', 'libopus', '-f', format]
      : ['-c:a', 'aac', '-f', format === 'm4a' ? 'ipod' : 'mp4'];
  const fragmented = options.streamed && (format === 'm4a' || format === 'mp4') ? ['-movflags', 'frag_keyframe+empty_moov'] : [];
  const common = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', input, '-ac', '1', '-ar', rate, ...codec, ...fragmented];
  if (options.streamed) {
    // writing to a pipe stops the muxer from seeking back to fill in the duration, as in a live recorder
    const { stdout } = await run('ffmpeg', [...common, 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    await writeFile(output, stdout);
  } else {
    await run('ffmpeg', [...common, output]);
  }
  return output;
}

const inProcess = new Map<string, Promise<Buffer>>();

/**
 * Returns the cached file for `key`, making it with `make` (in a private work directory) when absent.
 * The finished file is renamed into place, so parallel test processes never read half a file.
 */
function cached(key: Record<string, unknown>, format: AudioFormat, make: (work: string) => Promise<string>): Promise<Buffer> {
  const digest = createHash('sha256').update(JSON.stringify({ ...key, version: RECIPE_VERSION })).digest('hex').slice(0, 24);
  const path = join(cacheDirectory, `${digest}.${format}`);
  let pending = inProcess.get(path);
  if (pending === undefined) {
    pending = (async () => {
      try {
        return await readFile(path);
      } catch {
        // not cached yet
      }
      const work = join(cacheDirectory, `work-${randomUUID()}`);
      await mkdir(work, { recursive: true });
      try {
        const made = await make(work);
        await rename(made, path);
        return await readFile(path);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    })();
    // a failure is not cached, so a later call (after installing a tool) can succeed
    void pending.catch(() => inProcess.delete(path));
    inProcess.set(path, pending);
  }
  return pending;
}
