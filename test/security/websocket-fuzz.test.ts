import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { errorCodeList } from '@viva/protocol/error-codes.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

/** Thousands of generated frames over a real socket: always a contract answer, never a close. */
describe('fuzzing the WebSocket gateway', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({ RATE_LIMIT_MESSAGES_PER_S: '100000', MAX_QUEUED_INPUTS: '1000' });
  });
  after(async () => {
    await server.stop();
  });

  it('answers every generated frame with a contract message and keeps the connection', async () => {
    const frame = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            type: fc.oneof(fc.constantFrom('text_input', 'audio_input', 'connect', 'ping', 'cancel', 'nope'), fc.string({ maxLength: 20 })),
            id: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
            data: fc.oneof(
              fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'text', 'audio_data', 'resume_from', 'interview', 'context'), fc.jsonValue({ maxDepth: 3 })),
              fc.jsonValue({ maxDepth: 2 }),
            ),
          },
          { requiredKeys: ['type'] },
        )
        .map((value) => JSON.stringify(value)),
      fc.integer({ min: 1, max: 3_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    );
    const samples = fc.sample(frame, { numRuns: 2_000, seed: 42 });
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/fuzz-1`);
    for (const [index, sample] of samples.entries()) {
      client.send(sample);
      client.send({ type: 'ping', id: `fence-${index}` });
      await client.next('pong', (message) => message.reply_to === `fence-${index}`, 5_000);
      assert.equal(client.closeCode, undefined, `closed after frame ${index}: ${sample.slice(0, 200)}`);
    }
    for (const message of client.messages) {
      if (message.type === 'error') assert.ok(errorCodeList.includes(message.data.code));
    }
    assert.ok(client.messages.some((message) => message.type === 'error'));
    client.close();
  });
});
