import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionLeases } from '../interview/session-leases.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { ClusterNode, ConnectedSessionInfo, NodeInfo } from './cluster-node.js';
import type { LocalConnections } from './local-cluster-node.js';
import { clusterUnavailable, createRedisConnection, createRedisSubscriber, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { RedisMessageBus } from './redis-message-bus.js';
import { RedisPresence } from './redis-presence.js';
import { RedisSessionLeases } from './redis-session-leases.js';

export interface RedisClusterNodeOptions {
  nodeId: string;
  redisUrl: string;
  /** REDIS_KEY_PREFIX. */
  keyPrefix: string;
  /** LEASE_TTL_MS. */
  leaseTtlMs: number;
  /** LEASE_WAIT_MS. */
  leaseWaitMs: number;
  /** NODE_HEARTBEAT_MS. */
  heartbeatMs: number;
  /** How long `start` waits for Redis before the node refuses to start, milliseconds. @default 10000 */
  startTimeoutMs?: number;
  logger: Logger;
}

/**
 * One gateway node among several sharing a Redis (cluster mode, REDIS_URL set):
 * - delivery: a session's message goes straight to its connection when it is on this node (no Redis
 *   round trip); otherwise it is published to the node that holds the connection (RedisMessageBus);
 * - one live connection per session across nodes: a new connection here closes the older one elsewhere
 *   with 4001 (RedisPresence.claim);
 * - per-session ordering across nodes: `leases` (RedisSessionLeases) lets one node at a time process a
 *   session's inputs;
 * - presence and shared stats: `nodes()` and `connectedSessions()` cover every live node.
 *
 * Redis unreachable: local delivery goes on, cross-node delivery reports "not delivered" (the messages are
 * stored and reach the client on resume), new inputs fail with a retryable error, /ready says 503.
 * ioredis reconnects by itself; on reconnection the node announces itself and its connections again.
 */
export class RedisClusterNode implements ClusterNode {
  readonly nodeId: string;
  readonly leases: SessionLeases;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly presence: RedisPresence;
  private readonly bus: RedisMessageBus;
  private started = false;
  /** Whether the command connection is up; the 'close' of every failed reconnection attempt is logged once. */
  private connected = false;
  private readonly onReconnected = () => {
    this.connected = true;
    this.options.logger.info('connected to Redis again');
    this.presence.refresh();
  };
  private readonly onClosed = () => {
    if (!this.connected) return;
    this.connected = false;
    this.options.logger.warn('lost the connection to Redis; reconnecting');
  };

  constructor(
    private readonly local: LocalConnections,
    private readonly options: RedisClusterNodeOptions,
  ) {
    this.nodeId = options.nodeId;
    const keys = redisKeys(options.keyPrefix);
    this.commands = createRedisConnection(options.redisUrl, `viva:${options.nodeId}`);
    this.subscriber = createRedisSubscriber(options.redisUrl, `viva:${options.nodeId}:inbox`);
    const logger = options.logger;
    // ioredis emits 'error' on every failed (re)connection attempt and prints it when nobody listens; the
    // outage itself is logged once, by onClosed and the heartbeat
    this.commands.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
    this.subscriber.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis subscriber error'));
    this.presence = new RedisPresence(this.commands, keys, local, { nodeId: options.nodeId, heartbeatMs: options.heartbeatMs, logger });
    this.bus = new RedisMessageBus(this.commands, this.subscriber, keys, this.presence, local, { nodeId: options.nodeId, logger });
    this.leases = new RedisSessionLeases(this.commands, keys, {
      nodeId: options.nodeId,
      ttlMs: options.leaseTtlMs,
      waitMs: options.leaseWaitMs,
      logger,
    });
  }

  /** Connects to Redis, subscribes to this node's inbox and announces the node; rejects if Redis does not answer. */
  async start(): Promise<void> {
    const { logger } = this.options;
    await withTimeout(Promise.all([this.commands.connect(), this.subscriber.connect()]), this.options.startTimeoutMs ?? 10_000, 'connecting to Redis').catch(
      (error: unknown) => {
        this.commands.disconnect();
        this.subscriber.disconnect();
        throw new Error(`Redis (REDIS_URL) did not answer: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    await this.bus.start();
    await this.presence.start();
    this.started = true;
    this.connected = true;
    this.commands.on('close', this.onClosed);
    // 'ready' comes again after every reconnection: Redis may have restarted empty, so say who we are again
    this.commands.on('ready', this.onReconnected);
    logger.info({ node: this.nodeId, prefix: this.options.keyPrefix }, 'cluster node started');
  }

  async deliver(sessionId: string, message: ServerMessage): Promise<boolean> {
    // the common case, and the fast path: the connection is here
    if (this.local.deliverNow(sessionId, message)) return true;
    if (!this.started) return false;
    return this.bus.sendRemote(sessionId, message);
  }

  async connectionOpened(info: ConnectedSessionInfo): Promise<void> {
    // best effort: the connection works on this node whatever Redis says; a claim Redis missed is
    // repeated by the next heartbeat after Redis is back (the presence marks itself for a rewrite)
    await this.presence.claim(info).catch((error: unknown) => {
      this.options.logger.debug({ err: describe(error), session_id: info.session_id }, 'could not announce a connection to the cluster');
    });
  }

  async connectionClosed(sessionId: string, connectionId: string): Promise<void> {
    await this.presence.release(sessionId, connectionId).catch((error: unknown) => {
      this.options.logger.debug({ err: describe(error), session_id: sessionId }, 'could not withdraw a connection from the cluster');
    });
  }

  async closeSession(sessionId: string, reason: string): Promise<void> {
    this.local.closeSession(sessionId, reason);
    if (this.started) await this.bus.closeRemote(sessionId, reason);
  }

  async connectedSessions(): Promise<ConnectedSessionInfo[]> {
    const remote = await this.presence.remoteSessions().catch((error: unknown) => {
      throw clusterUnavailable(error);
    });
    // one order on every node (oldest connection first), so that paging through the list is stable
    return [...this.local.list(), ...remote].sort(
      (a, b) => compareText(a.connected_at, b.connected_at) || compareText(a.session_id, b.session_id),
    );
  }

  async nodes(): Promise<NodeInfo[]> {
    return this.presence.nodes().catch((error: unknown) => {
      throw clusterUnavailable(error);
    });
  }

  async ping(): Promise<void> {
    await this.commands.ping();
    // without the subscription, messages routed to this node would be lost
    if (this.subscriber.status !== 'ready') throw new Error(`redis subscriber is ${this.subscriber.status}`);
  }

  async stop(): Promise<void> {
    if (!this.started) {
      // never joined (or already left): there is nothing to take out of Redis
      this.commands.disconnect();
      this.subscriber.disconnect();
      return;
    }
    this.started = false;
    this.commands.removeListener('ready', this.onReconnected);
    this.commands.removeListener('close', this.onClosed);
    await withTimeout(
      Promise.allSettled([this.presence.stop(), this.bus.stop()]),
      REDIS_COMMAND_TIMEOUT_MS * 2,
      'leaving the cluster',
    ).catch(() => undefined);
    await Promise.allSettled([quit(this.commands), quit(this.subscriber)]);
  }
}

async function quit(redis: Redis): Promise<void> {
  try {
    await withTimeout(redis.quit(), REDIS_COMMAND_TIMEOUT_MS, 'closing a Redis connection');
  } catch {
    redis.disconnect();
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
