/**
 * The WebRTC voice activity detector (libfvad, compiled to WebAssembly by `@echogarden/fvad-wasm`,
 * BSD-3-Clause): a maintained, well-studied detector instead of an energy threshold of our own. One
 * WebAssembly instance per process; each voice stream gets its own small detector state inside it.
 */

/** libfvad takes frames of 10, 20 or 30 ms at 8, 16, 32 or 48 kHz; the voice streams use 20 ms at 16 kHz. */
export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME_MS = 20;
export const VAD_FRAME_SAMPLES = (VAD_SAMPLE_RATE / 1000) * VAD_FRAME_MS;

/** 0 (quality) to 3 (very aggressive): how readily noise is called speech. 2 suits a laptop microphone. */
const DEFAULT_MODE = 2;

/**
 * How long the detector (in the default mode) goes on calling frames speech after speech has ended: its
 * hangover. libfvad's aggressive modes add 5 frames of 20 ms after a run of speech longer than 6 frames
 * (kOverHangMax2AGG), 3 after a shorter one. Silence is counted from the end of speech, not of the hangover.
 */
export const VAD_HANGOVER_MS = 5 * VAD_FRAME_MS;

interface FvadModule {
  _fvad_new(): number;
  _fvad_free(handle: number): void;
  _fvad_set_mode(handle: number, mode: number): number;
  _fvad_set_sample_rate(handle: number, rate: number): number;
  _fvad_process(handle: number, frame: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

let loading: Promise<FvadModule> | undefined;

function loadModule(): Promise<FvadModule> {
  loading ??= import('@echogarden/fvad-wasm').then(async (imported: { default: () => Promise<unknown> }) => (await imported.default()) as FvadModule);
  return loading;
}

/** Loads the WebAssembly once; later detectors are made synchronously. */
export async function loadVad(): Promise<VadFactory> {
  const module = await loadModule();
  return { create: (mode = DEFAULT_MODE) => new WebRtcVad(module, mode) };
}

export interface VadFactory {
  create(mode?: number): WebRtcVad;
}

export class WebRtcVad {
  private handle: number;
  private readonly frame: number;

  constructor(
    private readonly module: FvadModule,
    mode: number,
  ) {
    this.handle = module._fvad_new();
    if (this.handle === 0) throw new Error('could not create a voice activity detector');
    module._fvad_set_mode(this.handle, mode);
    module._fvad_set_sample_rate(this.handle, VAD_SAMPLE_RATE);
    this.frame = module._malloc(VAD_FRAME_SAMPLES * 2);
  }

  /** Whether one frame of VAD_FRAME_SAMPLES samples at 16 kHz holds speech. */
  isSpeech(frame: Int16Array): boolean {
    if (this.handle === 0) return false;
    // HEAP16 is re-read each time: it is replaced when the WebAssembly memory grows
    this.module.HEAP16.set(frame.subarray(0, VAD_FRAME_SAMPLES), this.frame >> 1);
    return this.module._fvad_process(this.handle, this.frame, VAD_FRAME_SAMPLES) === 1;
  }

  free(): void {
    if (this.handle === 0) return;
    this.module._fvad_free(this.handle);
    this.module._free(this.frame);
    this.handle = 0;
  }
}
