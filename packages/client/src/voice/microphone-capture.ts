import type { VivaVoice } from './viva-voice.js';

/** A microphone feeding a voice stream; `level` is the last chunk's loudness (RMS, 0 to 1) for a meter. */
export interface MicrophoneCapture {
  readonly level: number;
  stop(): void;
}

// copies each 128-frame block off the audio thread; the main thread batches and sends them
const WORKLET_SOURCE = `
class VivaCapture extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor('viva-capture', VivaCapture);
`;

/**
 * Browser only: streams a MediaStream (getUserMedia) into `voice` through an AudioWorklet, in chunks of
 * `chunkMs`. The AudioContext runs at the voice's sample rate (browsers resample the microphone to it).
 */
export async function captureMicrophone(voice: VivaVoice, stream: MediaStream, options: { chunkMs?: number } = {}): Promise<MicrophoneCapture> {
  const context = new AudioContext({ sampleRate: voice.sampleRate });
  const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'application/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'viva-capture');
  // pulled by the graph, but silent: the candidate must not hear themselves
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(node).connect(mute).connect(context.destination);
  const chunkSamples = Math.round((voice.sampleRate * (options.chunkMs ?? 40)) / 1000);
  let pending: Float32Array[] = [];
  let pendingLength = 0;
  let level = 0;
  node.port.onmessage = (event: MessageEvent<Float32Array>) => {
    pending.push(event.data);
    pendingLength += event.data.length;
    if (pendingLength < chunkSamples) return;
    const chunk = new Float32Array(pendingLength);
    let offset = 0;
    for (const block of pending) {
      chunk.set(block, offset);
      offset += block.length;
    }
    pending = [];
    pendingLength = 0;
    let sum = 0;
    for (const sample of chunk) sum += sample * sample;
    level = Math.sqrt(sum / chunk.length);
    voice.append(chunk);
  };
  return {
    get level() {
      return level;
    },
    stop() {
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      void context.close();
    },
  };
}
