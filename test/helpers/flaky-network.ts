import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the server that a test can misbehave like a real network: cut every
 * connection, refuse new ones, swallow bytes in one direction, go silent without closing (a half-open
 * connection), and point at another port (a restarted server) while keeping its own.
 */
export class FlakyNetwork {
  private readonly pairs = new Set<Pair>();
  private refusing = false;
  private droppingReplies = false;
  private droppingRequests = false;
  private readonly server: Server;
  port = 0;
  /** Bytes thrown away by dropRequests, so a test can wait until an input was really lost. */
  droppedRequestBytes = 0;

  private constructor(private targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<FlakyNetwork> {
    const network = new FlakyNetwork(targetPort);
    await new Promise<void>((resolve) => network.server.listen(0, '127.0.0.1', resolve));
    const address = network.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    network.port = address.port;
    return network;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The same address for HTTP (a browser page loaded through the proxy). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  /** Bytes from the server are thrown away: replies get lost in flight. */
  dropReplies(): void {
    this.droppingReplies = true;
  }

  /** Bytes to the server are thrown away: inputs get lost in flight. */
  dropRequests(): void {
    this.droppingRequests = true;
  }

  /**
   * On the connections open now, lets server messages through until one whose JSON text matches
   * `predicate`, then ends the connection right behind it: the client has that message and nothing after
   * it, however fast the server was. (It reads the server's WebSocket frames, which are never masked.)
   */
  cutAfterServerMessage(predicate: (text: string) => boolean): void {
    for (const pair of this.pairs) pair.cutAfter = predicate;
  }

  /** Open connections stop carrying anything in either direction but stay open (half-open TCP); new ones work. */
  stall(): void {
    for (const pair of this.pairs) pair.stalled = true;
  }

  /** Every open connection is torn down; new ones are refused until `restore`. */
  cut(): void {
    this.refusing = true;
    this.destroyAll();
  }

  /** Every open connection is torn down; new ones are accepted. */
  reset(): void {
    this.destroyAll();
  }

  /** The network is back (stalled connections stay dead). */
  restore(): void {
    this.refusing = false;
    this.droppingReplies = false;
    this.droppingRequests = false;
  }

  /** Sends new connections to another port, as a load balancer does after a restart. */
  retarget(port: number): void {
    this.targetPort = port;
  }

  async close(): Promise<void> {
    this.refusing = true;
    this.destroyAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private destroyAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  private forwardUntilCut(pair: Pair, chunk: Buffer): void {
    pair.unread = Buffer.concat([pair.unread, chunk]);
    for (let frame = readFrame(pair.unread); frame !== undefined; frame = readFrame(pair.unread)) {
      pair.client.write(pair.unread.subarray(0, frame.size));
      pair.unread = pair.unread.subarray(frame.size);
      if (frame.opcode === 1 && pair.cutAfter?.(frame.payload.toString('utf8'))) {
        pair.cutAfter = undefined;
        this.pairs.delete(pair);
        pair.upstream.destroy();
        // end, not destroy: what was written still reaches the client, then the connection is gone
        pair.client.end();
        return;
      }
    }
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, stalled: false, cutAfter: undefined, unread: Buffer.alloc(0) };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (this.droppingRequests) this.droppedRequestBytes += chunk.length;
      else if (!pair.stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.cutAfter !== undefined) this.forwardUntilCut(pair, chunk);
      else if (!this.droppingReplies && !pair.stalled) client.write(chunk);
    });
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Carries nothing any more, but stays open. */
  stalled: boolean;
  cutAfter: ((text: string) => boolean) | undefined;
  /** Server bytes not yet forwarded while looking for the message to cut after. */
  unread: Buffer;
}

/** One whole WebSocket frame at the start of `buffer` (server frames: unmasked), or undefined. */
function readFrame(buffer: Buffer): { size: number; opcode: number; payload: Buffer } | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[0] ?? 0;
  const second = buffer[1] ?? 0;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { size: offset + length, opcode: first & 0x0f, payload: buffer.subarray(offset, offset + length) };
}
