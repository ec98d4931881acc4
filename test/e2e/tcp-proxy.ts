import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the server, so a test can cut the network under the browser: Chromium's
 * offline emulation leaves open WebSockets alone, a cut here does not.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private refusing = false;
  private droppingReplies = false;

  private readonly server: Server;
  port = 0;

  private constructor(targetPort: number) {
    this.server = createServer((client) => this.accept(client, targetPort));
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `targetPort` there. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy.port = address.port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Bytes from the server are thrown away from now on: replies get lost in flight. */
  dropReplies(): void {
    this.droppingReplies = true;
  }

  /** Every connection is torn down and new ones are refused, as when the network goes away. */
  cut(): void {
    this.refusing = true;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** The network is back. */
  restore(): void {
    this.refusing = false;
    this.droppingReplies = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!this.droppingReplies) client.write(chunk);
    });
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }
}
