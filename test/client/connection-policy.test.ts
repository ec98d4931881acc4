import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { DisconnectedEvent, InvalidMessageEvent } from '@viva/client/index.js';
import { makeClient, nextEvent } from './sdk-test-helpers.js';

/**
 * A scripted server, to hold the client to its connection policy (docs/protocol.md §4 close codes: whether
 * to reconnect or give up is decided by the close code) without depending on when a real server would do each thing.
 */
class ScriptedServer {
  readonly sockets: ServerSocket[] = [];
  readonly urls: string[] = [];
  readonly received: unknown[] = [];
  onConnection: (socket: ServerSocket, index: number) => void = (socket) => ScriptedServer.sayConnected(socket);
  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket: ServerSocket, request: IncomingMessage) => {
      this.sockets.push(socket);
      this.urls.push(request.url ?? '');
      // only this test's sockets: a previous test's client may still be saying goodbye
      socket.on('message', (data) => {
        if (this.sockets.includes(socket)) this.received.push(JSON.parse(data.toString()));
      });
      this.onConnection(socket, this.sockets.length - 1);
    });
  }

  static async start(): Promise<ScriptedServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new ScriptedServer(server);
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `ws://127.0.0.1:${address.port}`;
  }

  static sayConnected(socket: ServerSocket, lastSeq = 0, heartbeatMs = 25_000): void {
    socket.send(
      JSON.stringify({
        type: 'connected',
        session_id: 'scripted',
        timestamp: new Date().toISOString(),
        data: {
          session_id: 'scripted',
          resumed: true,
          protocol: 1,
          heartbeat_interval_ms: heartbeatMs,
          max_message_bytes: 2048,
          last_seq: lastSeq,
          interview: { state: 'in_progress' },
        },
      }),
    );
  }

  reset(): void {
    this.sockets.length = 0;
    this.urls.length = 0;
    this.received.length = 0;
    this.onConnection = (socket) => ScriptedServer.sayConnected(socket);
  }

  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('VivaClient connection policy', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await ScriptedServer.start();
  });
  after(async () => {
    await server.close();
  });

  for (const code of [1001, 1011, 1012, 4002, 4008]) {
    it(`reconnects after close ${code}, to the same session with resume_from`, async () => {
      server.reset();
      server.onConnection = (socket, index) => {
        ScriptedServer.sayConnected(socket, 7);
        if (index === 0) setTimeout(() => socket.close(code, 'scripted'), 10);
      };
      const client = makeClient({ url: server.url, sessionId: 'scripted' });
      try {
        await client.connect();
        const [event] = await nextEvent(client, 'disconnected');
        assert.equal(event.code, code);
        await nextEvent(client, 'state', (state) => state === 'open');
        assert.equal(server.urls.length, 2);
        assert.equal(server.urls[1], '/api/v1/ws/scripted?resume_from=7');
      } finally {
        client.close();
      }
    });
  }

  it('reconnects after an abrupt drop (1006), to the session the server named', async () => {
    server.reset();
    server.onConnection = (socket, index) => {
      ScriptedServer.sayConnected(socket, 3);
      if (index === 0) setTimeout(() => socket.terminate(), 10);
    };
    const client = makeClient({ url: `${server.url.replace('ws:', 'http:')}/` });
    try {
      await client.connect();
      assert.equal(client.sessionId, 'scripted');
      assert.equal(client.lastSeq, 3);
      const [event] = await nextEvent(client, 'disconnected');
      assert.equal(event.code, 1006);
      await nextEvent(client, 'state', (state) => state === 'open');
      assert.deepEqual(server.urls, ['/api/v1/ws', '/api/v1/ws/scripted?resume_from=3']);
    } finally {
      client.close();
    }
  });

  for (const code of [1000, 1008, 1009, 4029]) {
    it(`stops after close ${code}`, async () => {
      server.reset();
      server.onConnection = (socket) => {
        ScriptedServer.sayConnected(socket);
        setTimeout(() => socket.close(code, 'scripted'), 10);
      };
      const client = makeClient({ url: server.url, sessionId: 'scripted' });
      const drops: DisconnectedEvent[] = [];
      client.on('disconnected', (event) => drops.push(event));
      await client.connect();
      const pending = client.sendText('waiting');
      const [closed] = await nextEvent(client, 'closed');
      assert.equal(closed.code, code);
      assert.equal(closed.error?.code, 'CONNECTION_CLOSED');
      await assert.rejects(pending, { code: 'CONNECTION_CLOSED' });
      assert.deepEqual(drops, []);
      assert.equal(server.sockets.length, 1);
    });
  }

  it('gives up after reconnect.maxAttempts failed attempts in a row', async () => {
    server.reset();
    server.onConnection = (socket) => socket.terminate();
    const client = makeClient({ url: server.url, sessionId: 'scripted', reconnect: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 } });
    const drops: DisconnectedEvent[] = [];
    client.on('disconnected', (event) => drops.push(event));
    await assert.rejects(client.connect(), { code: 'RECONNECT_FAILED' });
    assert.deepEqual(drops.map((event) => event.attempt), [1, 2, 3]);
    assert.equal(server.sockets.length, 4);
  });

  it('reports an invalid server message as invalid_message, and goes on', async () => {
    server.reset();
    server.onConnection = (socket) => {
      ScriptedServer.sayConnected(socket);
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'ai_response', session_id: 'scripted', timestamp: 'now', data: { nope: true } }));
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
      socket.send(JSON.stringify({ type: 'notice', session_id: 'scripted', seq: 1, timestamp: 'now', data: { message: 'still here', from: 'admin' } }));
    };
    const client = makeClient({ url: server.url, sessionId: 'scripted' });
    const invalid: InvalidMessageEvent[] = [];
    client.on('invalid_message', (event) => invalid.push(event));
    try {
      const notice = nextEvent(client, 'notice');
      await client.connect();
      assert.equal((await notice)[0].data.message, 'still here');
      assert.equal(invalid.length, 3);
      assert.ok(invalid.every((event) => event.error.code === 'INVALID_SERVER_MESSAGE'));
      assert.equal(client.state, 'open');
    } finally {
      client.close();
    }
  });

  it('sends the settings once in a connect message, then queued inputs, and never a frame above max_message_bytes', async () => {
    server.reset();
    server.onConnection = (socket) => {
      ScriptedServer.sayConnected(socket);
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; id?: string };
        if (message.type === 'connect') ScriptedServer.sayConnected(socket);
      });
    };
    const client = makeClient({ url: server.url, sessionId: 'scripted', interview: { role: 'Data Engineer', language: 'zh' } });
    try {
      const connecting = client.connect();
      const queued = client.sendText('queued before the connection was up');
      assert.equal(client.state, 'connecting');
      await connecting;
      await assert.rejects(client.sendText('x'.repeat(3_000)), { code: 'PAYLOAD_TOO_LARGE' });
      client.cancel();
      const types = () => server.received.map((message) => (message as { type: string }).type);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(types(), ['connect', 'text_input', 'cancel']);
      assert.deepEqual((server.received[0] as { data: unknown }).data, { interview: { role: 'Data Engineer', language: 'zh' } });
      assert.match((server.received[1] as { id: string }).id, /^c-[a-z0-9]+-\d+$/);
      client.close();
      await assert.rejects(queued, { code: 'CONNECTION_CLOSED' });
    } finally {
      client.close();
    }
  });

  it('retries a connection that never says connected', async () => {
    server.reset();
    server.onConnection = (socket, index) => {
      if (index > 0) ScriptedServer.sayConnected(socket);
    };
    const client = makeClient({ url: server.url, sessionId: 'scripted', connectTimeoutMs: 100 });
    try {
      await client.connect();
      assert.equal(server.sockets.length, 2);
    } finally {
      client.close();
    }
  });
});
