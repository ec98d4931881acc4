import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { errorCodeList } from '@viva/protocol/error-codes.js';
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
