/**
 * Microphone audio to the wire's PCM16 (16-bit little-endian mono), in browsers and Node alike: no Buffer,
 * no DOM types needed here.
 */

export type PcmSource = Int16Array | Float32Array | Uint8Array | ArrayBuffer;

/** Float samples in [-1, 1] (Web Audio) to 16-bit integers, clipped. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let index = 0; index < samples.length; index += 1) {
    const value = Math.max(-1, Math.min(1, samples[index] ?? 0));
    out[index] = value < 0 ? Math.round(value * 0x8000) : Math.round(value * 0x7fff);
  }
  return out;
}

/** The little-endian bytes of any accepted source (Uint8Array and ArrayBuffer are taken as PCM16 bytes already). */
export function pcm16Bytes(source: PcmSource): Uint8Array {
  if (source instanceof Float32Array) source = floatToPcm16(source);
  if (source instanceof Int16Array) {
    const bytes = new Uint8Array(source.length * 2);
    const view = new DataView(bytes.buffer);
    for (let index = 0; index < source.length; index += 1) view.setInt16(index * 2, source[index] ?? 0, true);
    return bytes;
  }
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return source;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 without Buffer or btoa's string round trip (fast enough for 50 chunks a second). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const value = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    out += `${ALPHABET[value >> 18]}${ALPHABET[(value >> 12) & 63]}${ALPHABET[(value >> 6) & 63]}${ALPHABET[value & 63]}`;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const value = (bytes[index] ?? 0) << 16;
    out += `${ALPHABET[value >> 18]}${ALPHABET[(value >> 12) & 63]}==`;
  } else if (rest === 2) {
    const value = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8);
    out += `${ALPHABET[value >> 18]}${ALPHABET[(value >> 12) & 63]}${ALPHABET[(value >> 6) & 63]}=`;
  }
  return out;
}

/** Base64 to bytes, for the interviewer's audio (`ai_audio_delta`). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (const character of clean) {
    const value = ALPHABET.indexOf(character);
    if (value < 0) continue;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.subarray(0, written);
}
