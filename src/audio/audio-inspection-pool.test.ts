import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { mp4FreeBoxFlood } from '../../test/helpers/crafted-audio.js';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { AudioInspectionPool } from './audio-inspection-pool.js';

const logger = pino({ level: 'silent' });

describe('AudioInspectionPool', () => {
  it('refuses uploads past its queue bound with BUSY, stops a slow inspection, and keeps working', async () => {
    const pool = new AudioInspectionPool({ workers: 1, maxQueued: 1, timeBudgetMs: 300, maxAudioBytes: 16 * 1024 * 1024, depth: 'full', logger });
    try {
      await pool.ready();
      const flood = mp4FreeBoxFlood(4 * 1024 * 1024).toString('base64');
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => pool.decodePayload({ audio_data: flood })));
      const codes = outcomes.map((outcome) => (outcome.status === 'rejected' && isVivaError(outcome.reason) ? outcome.reason.code : outcome.status));
      // one runs, one waits, the third finds the queue full
      assert.deepEqual(codes, ['AUDIO_DECODE_ERROR', 'AUDIO_DECODE_ERROR', 'BUSY']);

      // the replaced worker inspects ordinary bytes; sizes are checked before anything is sent to it
      const tooLarge = await pool.inspectBytes(Buffer.alloc(16 * 1024 * 1024 + 1), undefined).catch((error: unknown) => error);
      assert.ok(isVivaError(tooLarge, 'PAYLOAD_TOO_LARGE'));
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      const refused = await pool.inspectBytes(png, 'wav').catch((error: unknown) => error);
      assert.ok(isVivaError(refused, 'UNSUPPORTED_AUDIO_FORMAT'), String(refused));
    } finally {
      await pool.close();
    }
  });
});
