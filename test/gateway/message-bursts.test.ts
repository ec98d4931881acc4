import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Issue 10, item 9: a burst gets RATE_LIMITED answers; only a flood that goes on for seconds is closed. */
describe('message bursts and floods', () => {
  let server: RunningViva;
  before(async () => {
    server = await startInProcess({ RATE_LIMIT_MESSAGES_PER_S: '20', RATE_LIMIT_FLOOD_MS: '2000' });
  });
  after(async () => {
    await server.stop();
  });

  it('answers a burst of 240 messages in half a second with RATE_LIMITED and keeps the connection', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/burst-1`);
    for (let batch = 0; batch < 10; batch += 1) {
      for (let index = 0; index < 24; index += 1) client.send({ type: 'ping', id: `b${batch}-${index}` });
      await sleep(50);
    }
    await sleep(1_500);
    assert.equal(client.closeCode, undefined, `closed with ${client.closeCode} ${client.closeReason}`);
    const refusals = client.messages.filter((message) => message.type === 'error' && message.data.code === 'RATE_LIMITED');
    assert.ok(refusals.length >= 100, `${refusals.length} RATE_LIMITED answers`);
    client.send({ type: 'ping', id: 'after-burst' });
    await client.next('pong', (message) => message.reply_to === 'after-burst');
    client.close();
  });

  it('closes with 1008 a flood that goes on past RATE_LIMIT_FLOOD_MS', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/flood-1`);
    const started = Date.now();
    while (client.closeCode === undefined && Date.now() - started < 10_000) {
      for (let index = 0; index < 10; index += 1) client.send({ type: 'ping' });
      await sleep(20);
    }
    assert.equal(await client.closed, 1008);
    const lasted = Date.now() - started;
    assert.ok(lasted >= 1_800, `closed after ${lasted} ms of flooding`);
  });
});
