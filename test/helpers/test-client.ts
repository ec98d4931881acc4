import WebSocket from 'ws';
import type { ServerMessage } from '@viva/protocol/server-messages.js';

type Predicate = (message: ServerMessage) => boolean;

/**
 * A WebSocket client for tests: keeps every server message in order and lets a test wait for the next
 * one that matches, so tests await events instead of sleeping.
 */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  private cursor = 0;
  private waiters: Array<{ predicate: Predicate; resolve: (message: ServerMessage) => void }> = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw, isBinary) => {
      if (isBinary) throw new Error('the server sent a binary frame');
      const message = JSON.parse(raw.toString()) as ServerMessage;
      this.messages.push(message);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      });
    });
    socket.on('error', () => undefined);
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    });
    return client;
  }

  /** Opens a connection and waits for its `connected` message. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<{ client: TestClient; connected: Extract<ServerMessage, { type: 'connected' }> }> {
    const client = await TestClient.open(url, options);
    const connected = await client.next('connected');
    return { client, connected: connected as Extract<ServerMessage, { type: 'connected' }> };
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message (after those already taken) of `type` and matching `predicate`. */
  next<K extends ServerMessage['type']>(
    type: K,
    predicate: (message: Extract<ServerMessage, { type: K }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { type: K }>> {
    const matches = (message: ServerMessage): boolean =>
      message.type === type && predicate(message as Extract<ServerMessage, { type: K }>);
    for (let index = this.cursor; index < this.messages.length; index += 1) {
      const message = this.messages[index];
      if (message && matches(message)) {
        this.cursor = index + 1;
        return Promise.resolve(message as Extract<ServerMessage, { type: K }>);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`timed out waiting for ${type}; got: ${this.messages.map((m) => m.type).join(', ')}`));
      }, timeoutMs);
      const done = (message: ServerMessage) => {
        clearTimeout(timer);
        resolve(message as Extract<ServerMessage, { type: K }>);
      };
      this.waiters.push({ predicate: matches, resolve: done });
    });
  }

  /** Sends a text answer and resolves with its `ai_response`. */
  async answer(text: string, id?: string): Promise<Extract<ServerMessage, { type: 'ai_response' }>> {
    this.send({ type: 'text_input', ...(id ? { id } : {}), data: { text } });
    return this.next('ai_response', (message) => id === undefined || message.reply_to === id);
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    for (let index = this.cursor; index < this.messages.length; index += 1) {
      const message = this.messages[index];
      if (message === undefined) continue;
      const waiter = this.waiters.find((candidate) => candidate.predicate(message));
      if (waiter) {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        this.cursor = index + 1;
        waiter.resolve(message);
      }
    }
  }
}
