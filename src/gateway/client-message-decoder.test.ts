import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clientEnvelopeSchema } from '@viva/protocol/client-messages.js';
import { errorCodeList } from '@viva/protocol/error-codes.js';
import { audioAppendDataSchema } from '@viva/protocol/voice-messages.js';
import { decodeClientMessage } from './client-message-decoder.js';

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'type', 'data', 'id');
const anyJson = fc.jsonValue({ maxDepth: 6 });
const deep = fc.integer({ min: 1, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const typed = fc.record(
  {
    type: fc.oneof(fc.constantFrom('text_input', 'audio_input', 'connect', 'ping', 'cancel', 'end_interview', 'disconnect'), fc.string(), anyJson),
    id: fc.oneof(fc.string({ maxLength: 80 }), anyJson),
    session_id: anyJson,
    data: fc.oneof(anyJson, fc.dictionary(fc.oneof(hostileKey, fc.string()), anyJson)),
  },
  { requiredKeys: [] },
);
const polluted = fc.dictionary(hostileKey, anyJson).map((value) => JSON.stringify(value).replace('"constructor"', '"__proto__"'));
const frames = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  anyJson.map((value) => JSON.stringify(value)),
  typed.map((value) => JSON.stringify(value)),
  polluted,
  deep,
  fc.integer({ min: 10_000, max: 200_000 }).map((length) => JSON.stringify({ type: 'text_input', data: { text: 'x'.repeat(length) } })),
);

describe('decodeClientMessage under fuzzing', () => {
  it('never throws, and every rejection carries a contract error code', () => {
    fc.assert(
      fc.property(frames, (frame) => {
        const result = decodeClientMessage(frame);
        if (!result.ok) {
          assert.ok(errorCodeList.includes(result.error.code), result.error.code);
          assert.ok(['INVALID_JSON', 'INVALID_MESSAGE', 'UNKNOWN_TYPE'].includes(result.error.code));
        } else {
          assert.equal(typeof result.message.type, 'string');
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const result = decodeClientMessage('{"type":"ping","data":{"__proto__":{"polluted":true}},"__proto__":{"polluted":true}}');
    assert.equal(result.ok, true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });
});

/** What the zod schemas alone make of an audio_append frame: the message, or 'rejected'. */
function audioAppendBySchemas(frame: string): unknown {
  const envelope = clientEnvelopeSchema.safeParse(JSON.parse(frame));
  if (!envelope.success) return 'rejected';
  const data = audioAppendDataSchema.safeParse(envelope.data.data ?? {});
  return data.success ? { type: 'audio_append', id: envelope.data.id, data: data.data } : 'rejected';
}

describe('decodeClientMessage on audio_append (checked without zod when well formed)', () => {
  it('accepts exactly what the schemas accept, and returns what they return', () => {
    const base64 = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64'));
    const audio = fc.oneof(base64, fc.string({ maxLength: 40 }), base64.map((text) => `${text}!`), anyJson);
    const data = fc.oneof(fc.record({ audio, extra: anyJson }, { requiredKeys: [] }), anyJson);
    const frame = fc
      .record({ type: fc.constant('audio_append'), id: fc.oneof(fc.string({ maxLength: 70 }), anyJson), session_id: anyJson, data }, { requiredKeys: ['type'] })
      .map((value) => JSON.stringify(value));
    fc.assert(
      fc.property(frame, (value) => {
        const expected = audioAppendBySchemas(value);
        const result = decodeClientMessage(value);
        if (expected === 'rejected') assert.equal(result.ok, false, value);
        else assert.deepEqual(result.ok ? result.message : result.error, expected, value);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('the compact audio_append shortcut', () => {
  it('a compact frame (as JSON.stringify writes it) decodes as the schemas decode it, whatever its audio text', () => {
    const audio = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[A-Za-z0-9+/=\\"]{0,12}$/),
    );
    const frame = fc.oneof(
      audio.map((text) => JSON.stringify({ type: 'audio_append', data: { audio: text } })),
      // the same layout written by hand, escapes and all, and near misses of it
      audio.map((text) => `{"type":"audio_append","data":{"audio":"${text}"}}`),
      audio.map((text) => `{"type":"audio_append","data":{"audio":"${text}"}} `),
      audio.map((text) => `{"type":"audio_append","data":{"audio":"${text}","extra":"}}`),
    );
    fc.assert(
      fc.property(frame, (value) => {
        let expected: unknown;
        try {
          expected = audioAppendBySchemas(value);
        } catch {
          expected = 'rejected';
        }
        const result = decodeClientMessage(value);
        if (expected === 'rejected') assert.equal(result.ok, false, value);
        else assert.deepEqual(result.ok ? result.message : result.error, expected, value);
      }),
      { numRuns: 5_000 },
    );
  });
});
