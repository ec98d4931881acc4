import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { mp4FreeBoxFlood } from '../../test/helpers/crafted-audio.js';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { AudioInspectionPool } from './audio-inspection-pool.js';
import { AudioUploadBudget } from './audio-upload-budget.js';

const logger = pino({ level: 'silent' });

describe('AudioInspectionPool', () => {
  it('refuses uploads past its queue bound with BUSY, stops a slow inspection, and keeps working', async () => {
    const pool = new AudioInspectionPool({ workers: 1, maxQueued: 1, timeBudgetMs: 300, maxAudioBytes: 16 * 1024 * 1024, depth: 'full', logger, maxPerAddress: 8, budget: new AudioUploadBudget(1024 ** 3) });
    try {
      await pool.ready();
      const flood = mp4FreeBoxFlood(4 * 1024 * 1024).toString('base64');
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => pool.decodePayload({ audio_data: flood }, '198.51.100.1')));
      const codes = outcomes.map((outcome) => (outcome.status === 'rejected' && isVivaError(outcome.reason) ? outcome.reason.code : outcome.status));
      // one runs, one waits, the third finds the queue full
      assert.deepEqual(codes, ['AUDIO_DECODE_ERROR', 'AUDIO_DECODE_ERROR', 'BUSY']);

      // the replaced worker inspects ordinary bytes; sizes are checked before anything is sent to it
      const tooLarge = await pool.inspectBytes(Buffer.alloc(16 * 1024 * 1024 + 1), undefined, '198.51.100.1').catch((error: unknown) => error);
      assert.ok(isVivaError(tooLarge, 'PAYLOAD_TOO_LARGE'));
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      const refused = await pool.inspectBytes(png, 'wav', '198.51.100.1').catch((error: unknown) => error);
      assert.ok(isVivaError(refused, 'UNSUPPORTED_AUDIO_FORMAT'), String(refused));
    } finally {
      await pool.close();
    }
  });

  it('lets one address hold only its share of the queue (AUDIO_INSPECTIONS_PER_IP); others still get in', async () => {
    const pool = new AudioInspectionPool({ workers: 1, maxQueued: 8, timeBudgetMs: 5_000, maxAudioBytes: 1024 * 1024, depth: 'sniff', logger, maxPerAddress: 2, budget: new AudioUploadBudget(1024 ** 3) });
    try {
      await pool.ready();
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex').toString('base64');
      // submitted in one go: the first two are queued or running when the third arrives
      const outcomes = await Promise.allSettled(
        ['203.0.113.7', '203.0.113.7', '203.0.113.7', '198.51.100.9'].map((address) => pool.decodePayload({ audio_data: png }, address)),
      );
      const codes = outcomes.map((outcome) => (outcome.status === 'rejected' && isVivaError(outcome.reason) ? outcome.reason.code : outcome.status));
      // inspected (and found not to be audio), refused for the address's share, inspected for the other address
      assert.deepEqual(codes, ['UNSUPPORTED_AUDIO_FORMAT', 'UNSUPPORTED_AUDIO_FORMAT', 'RATE_LIMITED', 'UNSUPPORTED_AUDIO_FORMAT']);
      const refused = outcomes[2]?.status === 'rejected' ? (outcomes[2].reason as { details?: Record<string, unknown> }) : undefined;
      assert.equal(refused?.details?.reason, 'audio_inspections_per_address');
      // once answered, the address has its share again
      const again = await pool.decodePayload({ audio_data: png }, '203.0.113.7').catch((error: unknown) => error);
      assert.ok(isVivaError(again, 'UNSUPPORTED_AUDIO_FORMAT'), String(again));
    } finally {
      await pool.close();
    }
  });
});
