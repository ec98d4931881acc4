import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { residentBytes } from './process-stats.js';
import { join } from 'node:path';
import { REPO_ROOT, spawnNodeWithRaisedLimit } from './raised-limit-spawn.js';

export interface IdleOptions {
  serverPid: number;
  /** `ws://127.0.0.1:PORT/api/v1/ws/` for Viva (one session per id), `ws://127.0.0.1:PORT/` for echo. */
  urlBase: string;
  /** Viva says `connected`; the echo server says nothing, so its connections are ready when open. */
  ready: 'open' | 'connected';
  count: number;
  /** Unique per run and server, so every Viva connection creates a session. */
  idPrefix: string;
  settleMs: number;
  /**
   * Collects the server's garbage before each reading (a Node server with an inspector), so that neither
   * reading counts garbage the collector had not got to yet: what is left is what the connections hold.
   */
  collectGarbage?: (() => Promise<void>) | undefined;
  /** What the server's JavaScript holds, read after each collection (a Node server with an inspector). */
  javascriptBytes?: (() => Promise<number>) | undefined;
  /** Upper bound on opening all of them, milliseconds. @default 300000 */
  openBudgetMs?: number;
}

export interface IdleResult {
  requested: number;
  opened: number;
  failures: Record<string, number>;
  openSeconds: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** RSS after minus before, per connection opened. */
  rssBytesPerConnection: number;
  /** The JavaScript's heap and external memory after minus before, per connection; for Node servers only. */
  javascriptBytesPerConnection?: number;
  /**
   * The figure judged: the larger of the two. RSS alone can come out near zero or below it when the
   * connections reuse pages the allocator kept from the warm-up (one run read -0.26 KiB); the JavaScript
   * figure alone leaves out native memory.
   */
  bytesPerConnection: number;
  /** Connections the server closed while they sat idle (counted when the client let go of them). */
  droppedWhileIdle: number;
}

const WARMUP_CONNECTIONS = 200;

/**
 * Memory per idle connection: warm the server's code paths with a small batch, let it settle, read RSS,
 * open `count` connections from a client child, let it settle, read RSS again. The difference divided by
 * the connections that opened is the figure. With `collectGarbage`, each reading follows a full collection;
 * with `javascriptBytes`, the JavaScript's memory is read too, and the larger per-connection figure counts.
 */
export async function measureIdleConnections(options: IdleOptions): Promise<IdleResult> {
  const warmup = await openIdleClients({ ...options, count: Math.min(WARMUP_CONNECTIONS, options.count), idPrefix: `${options.idPrefix}-warm` });
  await warmup.release();
  const settledReading = async () => {
    await pause(options.settleMs);
    await options.collectGarbage?.();
    return { rss: residentBytes(options.serverPid), javascript: await options.javascriptBytes?.() };
  };
  const before = await settledReading();
  const clients = await openIdleClients(options);
  const after = await settledReading();
  const closed = await clients.release();
  const { ready } = clients;
  const perConnection = (bytes: number) => (ready.opened > 0 ? bytes / ready.opened : 0);
  const rssBytesPerConnection = perConnection(after.rss - before.rss);
  const javascriptBytesPerConnection =
    before.javascript === undefined || after.javascript === undefined ? undefined : perConnection(after.javascript - before.javascript);
  return {
    requested: options.count,
    opened: ready.opened,
    failures: ready.failures,
    openSeconds: ready.elapsedMs / 1000,
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    rssBytesPerConnection,
    ...(javascriptBytesPerConnection === undefined ? {} : { javascriptBytesPerConnection }),
    bytesPerConnection: Math.max(rssBytesPerConnection, javascriptBytesPerConnection ?? Number.NEGATIVE_INFINITY),
    droppedWhileIdle: closed.dropped,
  };
}

interface ReadyReport {
  opened: number;
  failures: Record<string, number>;
  elapsedMs: number;
}

interface IdleClients {
  ready: ReadyReport;
  /** Tells the child to drop every connection and waits for it to exit. */
  release(): Promise<{ dropped: number }>;
}

async function openIdleClients(options: IdleOptions): Promise<IdleClients> {
  const child = spawnNodeWithRaisedLimit(
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'bench/idle-client.ts'),
      `--url-base=${options.urlBase}`,
      `--count=${options.count}`,
      `--ready=${options.ready}`,
      `--id-prefix=${options.idPrefix}`,
    ],
    {},
    ['pipe', 'pipe', 'inherit'],
  );
  const events = jsonLines(child);
  const budgetMs = options.openBudgetMs ?? 300_000;
  const ready = await withTimeout(
    (async () => {
      for (;;) {
        const event = await events.next();
        if (event === undefined) throw new Error('the idle client exited before its connections were ready');
        if (event.event === 'progress') process.stderr.write(`  … ${String(event.attempted)} attempted, ${String(event.open)} open\n`);
        if (event.event === 'ready') {
          return { opened: Number(event.opened), failures: (event.failures ?? {}) as Record<string, number>, elapsedMs: Number(event.elapsed_ms) };
        }
      }
    })(),
    budgetMs,
    () => child.kill('SIGKILL'),
  );
  return {
    ready,
    async release() {
      child.stdin?.write('close\n');
      const closed = await withTimeout(events.next(), 30_000, () => child.kill('SIGKILL'));
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      return { dropped: Number(closed?.dropped ?? 0) };
    },
  };
}

/** The child's stdout as a queue of JSON objects; `next()` resolves undefined once it has ended. */
function jsonLines(child: ChildProcess): { next(): Promise<Record<string, unknown> | undefined> } {
  const queue: Array<Record<string, unknown>> = [];
  const waiting: Array<(value: Record<string, unknown> | undefined) => void> = [];
  let ended = false;
  if (!child.stdout) throw new Error('the idle client has no stdout');
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  lines.on('close', () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });
  return {
    next() {
      const value = queue.shift();
      if (value !== undefined || ended) return Promise.resolve(value);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number, onTimeout: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`timed out after ${milliseconds} ms`));
    }, milliseconds);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
