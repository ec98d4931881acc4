import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';
import { residentBytes } from '../helpers/process-memory.js';

/** Measures a well-behaved session's ping round trip while an attack runs. */
async function victimLatency(server: VivaProcess, sessionId: string, rounds = 20): Promise<number> {
  const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}`);
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    client.send({ type: 'ping', id: `v${round}` });
    await client.next('pong', (message) => message.reply_to === `v${round}`);
    times.push(performance.now() - started);
  }
  client.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

describe('abuse over real sockets', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({
      MAX_CONNECTIONS_PER_IP: '30',
      RATE_LIMIT_MESSAGES_PER_S: '20',
      RATE_LIMIT_FLOOD_MS: '1000',
      HEADERS_TIMEOUT_MS: '1000',
      MAX_BUFFERED_BYTES: '65536',
      SESSIONS_PER_IP_PER_MINUTE: '40',
    });
  });
  after(async () => {
    await server.stop();
  });

  it('cuts a flooding client off (RATE_LIMITED, then 1008) while another session stays fast', async () => {
    const { client: flooder } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/flooder`);
    const flooding = (async () => {
      // a flood that goes on past RATE_LIMIT_FLOOD_MS (a shorter burst is only refused)
      const started = Date.now();
      while (Date.now() - started < 10_000 && flooder.closeCode === undefined) {
        for (let index = 0; index < 50; index += 1) flooder.send({ type: 'text_input', data: { text: 'spam spam spam' } });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const median = await victimLatency(server, 'victim-flood');
    await flooding;
    assert.equal(await flooder.closed, 1008);
    assert.ok(flooder.messages.some((message) => message.type === 'error' && message.data.code === 'RATE_LIMITED'));
    assert.ok(median < 100, `victim median ping ${median.toFixed(1)} ms during the flood`);
  });

  it('refuses connections past the per-address limit with 4029', async () => {
    const clients = await Promise.all(Array.from({ length: 28 }, (_value, index) => TestClient.connect(`${server.wsUrl}/api/v1/ws/many-${index}`)));
    const extra = await Promise.all(Array.from({ length: 5 }, (_value, index) => TestClient.open(`${server.wsUrl}/api/v1/ws/extra-${index}`)));
    const codes = await Promise.all(extra.map((client) => Promise.race([client.closed, new Promise<number>((resolve) => setTimeout(() => resolve(0), 1_000))])));
    assert.ok(codes.filter((code) => code === 4029).length >= 3, `close codes ${codes.join(',')}`);
    for (const { client } of clients) client.close();
    for (const client of extra) client.close();
    await Promise.all(clients.map(({ client }) => client.closed));
  });

  it('drops slowloris upgrades that never finish their headers', async () => {
    const sockets = Array.from({ length: 10 }, () => connectTcp(server.port, '127.0.0.1'));
    const closed = sockets.map((socket) => new Promise<number>((resolve) => {
      const started = Date.now();
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
    }));
    for (const socket of sockets) socket.write('GET /api/v1/ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
    const drip = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 200);
    const median = await victimLatency(server, 'victim-slowloris');
    const durations = await Promise.all(closed);
    clearInterval(drip);
    assert.ok(durations.every((duration) => duration < 5_000), `dropped after ${durations.join(',')} ms`);
    assert.ok(median < 100, `victim median ping ${median.toFixed(1)} ms`);
  });

  it('closes a client that never reads with 4002, and the server memory stays bounded', async () => {
    const server = await startViva({ RATE_LIMIT_MESSAGES_PER_S: '1000000', MAX_BUFFERED_BYTES: '65536' });
    try {
      const before = residentBytes(server.child.pid ?? 0);
      const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/never-reads`);
      const raw = (client.socket as unknown as { _socket: Socket })._socket;
      raw.pause();
      // each ping makes the server write a pong the client never reads; the send buffer has to grow
      const payload = JSON.stringify({ type: 'ping', data: { client_time: 'x'.repeat(90) } });
      let sent = 0;
      while (sent < 100_000 && !raw.destroyed) {
        for (let index = 0; index < 1_000; index += 1) client.socket.send(payload);
        sent += 1_000;
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (client.closeCode !== undefined) break;
      }
      raw.resume();
      const code = await Promise.race([client.closed, new Promise<number>((resolve) => setTimeout(() => resolve(0), 10_000))]);
      // the close frame waits behind the unread data, so the client may only see the TCP close
      assert.ok(code === 4002 || code === 1006, `closed with ${code}`);
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      assert.match(metrics, /viva_limits_hit_total\{limit="send_buffer"\} [1-9]/);
      const grown = residentBytes(server.child.pid ?? 0) - before;
      assert.ok(grown < 64 * 1024 * 1024, `server grew by ${(grown / 1048576).toFixed(1)} MiB`);
      assert.ok((await victimLatency(server, 'victim-slow-reader')) < 100);
    } finally {
      await server.stop();
    }
  });
});
