import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { ClientConnection } from './client-connection.js';

describe('ClientConnection writes', () => {
  let server: WebSocketServer;
  let connection: ClientConnection;
  let client: WebSocket;
  const received: string[] = [];

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('message', (data) => received.push((JSON.parse(String(data)) as ServerMessage).type));
    const [socket] = await accepted;
    connection = new ClientConnection(socket, 's1', '127.0.0.1', { maxBufferedBytes: 1 << 20 }, { messageOut: () => undefined, limitHit: () => undefined });
  });
  after(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('holds a turn’s status and deltas for one write, and sends the reply at once, even from the check phase', async () => {
    const raw = (connection.socket as unknown as { _socket: Socket })._socket;
    // the group commit resolves its writes from a setImmediate callback: the reply is sent from there
    const corkedAfter = await new Promise<{ status: number; reply: number }>((resolve) =>
      setImmediate(() => {
        connection.send(serverMessage('status', 's1', { state: 'thinking' }));
        connection.send(serverMessage('ai_response_delta', 's1', { turn: 1, delta: 'Hel' }));
        const status = raw.writableCorked;
        const reply = { ...serverMessage('notice', 's1', { message: 'stored', from: 'system' as const }), seq: 1 };
        connection.send(reply);
        resolve({ status, reply: raw.writableCorked });
      }),
    );
    assert.equal(corkedAfter.status, 1, 'transient frames wait to leave together');
    assert.equal(corkedAfter.reply, 0, 'a durable message is written at once, with what was held before it');
    while (received.length < 3) await once(client, 'message');
    assert.deepEqual(received, ['status', 'ai_response_delta', 'notice']);
    // the uncork scheduled for the transient frames finds nothing left to uncork, and undoes nothing of ws's
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(raw.writableCorked, 0);
    connection.send(serverMessage('status', 's1', { state: 'thinking' }));
    await once(client, 'message');
    assert.equal(received.at(-1), 'status');
  });
});
