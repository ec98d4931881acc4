import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TestClient } from '../helpers/test-client.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/postgres-database.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';

/** The machine's Redis, unless VIVA_TEST_REDIS_URL names another. Tests never stop this one. */
export const sharedRedisUrl = process.env.VIVA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Settings that make failures show quickly in tests, all documented in src/config.ts: heartbeats every
 * 300 ms (a dead node is gone from listings within a second), leases that run out 2 s after a crash, and
 * inputs that wait up to 5 s for a session busy elsewhere.
 */
const fastClusterSettings = {
  NODE_HEARTBEAT_MS: '300',
  LEASE_TTL_MS: '2000',
  LEASE_WAIT_MS: '5000',
};

export interface TestCluster {
  nodes: VivaProcess[];
  database: TestDatabase;
  redisUrl: string;
  prefix: string;
  node(index: number): VivaProcess;
  /** Stops every node still running (SIGTERM), drops the database, removes the run's Redis keys. */
  stop(): Promise<void>;
}

/** Why the cluster tests cannot run here, or false when PostgreSQL and Redis both answer. */
export async function clusterSkipReason(redisUrl = sharedRedisUrl): Promise<string | false> {
  if (!(await postgresAvailable())) return 'PostgreSQL is not reachable (set VIVA_TEST_PG_URL)';
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return false;
  } catch {
    return 'Redis is not reachable (set VIVA_TEST_REDIS_URL)';
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts `count` real gateway processes (NODE_ID node-1, node-2, …) on one fresh PostgreSQL database and
 * one Redis, under a Redis key prefix of their own so that concurrent runs never see each other.
 */
export async function startCluster(count: number, options: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<TestCluster> {
  const database = await createTestDatabase();
  const redisUrl = options.redisUrl ?? sharedRedisUrl;
  const prefix = `viva-test-${randomBytes(4).toString('hex')}:`;
  const nodes: VivaProcess[] = [];
  try {
    // all at once on the fresh database: their migrations meet at the advisory lock, as in production
    const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => startNode(index + 1)));
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } catch (error) {
    await Promise.allSettled(nodes.map((node) => node.kill()));
    await database.drop();
    throw error;
  }

  function startNode(index: number): Promise<VivaProcess> {
    return startViva({
      ...fastClusterSettings,
      ...options.env,
      NODE_ID: `node-${index}`,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
    });
  }

  return {
    nodes,
    database,
    redisUrl,
    prefix,
    node(index: number): VivaProcess {
      const node = nodes[index];
      if (node === undefined) throw new Error(`no node ${index}`);
      return node;
    },
    async stop() {
      await Promise.allSettled(nodes.map((node) => node.stop()));
      await database.drop();
      await deleteKeys(redisUrl, prefix).catch(() => undefined);
    },
  };
}

/** Removes every key of one run (its prefix) from Redis. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A request to a node's HTTP API with the admin token; resolves with the status and the parsed body. */
export async function api<T = Record<string, unknown>>(
  node: VivaProcess,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${node.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${node.adminToken}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text.length > 0 ? JSON.parse(text) : {}) as T };
}

/** Polls `check` every 50 ms until it returns true, or fails after `timeoutMs` naming `what`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Connects to `node` for `sessionId`, optionally resuming after `resumeFrom`. */
export function connectTo(node: VivaProcess, sessionId: string, resumeFrom?: number) {
  const query = resumeFrom === undefined ? '' : `?resume_from=${resumeFrom}`;
  return TestClient.connect(`${node.wsUrl}/api/v1/ws/${sessionId}${query}`);
}

/** Runs a query on the test database directly (to check what is stored, or to hold a row lock). */
export async function databaseClient(database: TestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return client;
}

/** A redis-server of the test's own on a free port, which the test may kill and start again. */
export class OwnRedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort());
    await server.restart();
    return server;
  }

  /** Starts redis-server (empty: no persistence) on the same port, and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    await eventually(`redis-server on port ${this.port} answers`, async () => {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  }

  /** SIGKILL, as a crash would; the port refuses connections until `restart`. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
