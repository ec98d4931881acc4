import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConnectedSessionInfo, NodeInfo } from './cluster-node.js';
import type { LocalConnections } from './local-cluster-node.js';
import type { RedisKeys } from './redis-keys.js';
import {
  claimSessionScript,
  liveNodesScript,
  locateSessionScript,
  releaseSessionScript,
  remoteSessionsScript,
  resyncSessionsScript,
} from './redis-scripts.js';

export interface RedisPresenceOptions {
  nodeId: string;
  /** How often the heartbeat runs, milliseconds (NODE_HEARTBEAT_MS); a node is dead after three missed. */
  heartbeatMs: number;
  logger: Logger;
}

/** What a node tells another on its inbox (besides messages to deliver): close your older connection. */
export interface ReplaceNotice {
  kind: 'replace';
  session_id: string;
  keep_connection_id: string;
}

/**
 * Without changes to report, the whole connection list is still rewritten every this many heartbeats,
 * so that other nodes see fresh `last_activity_at` values.
 */
const RESYNC_EVERY_BEATS = 10;

/**
 * Which nodes are alive, with their counters, and which sessions each one holds a connection to.
 *
 * Per node: `node-info:<id>` (JSON NodeInfo) with a TTL of three heartbeats, rewritten every heartbeat,
 * and the hash `node-sessions:<id>` (session → connection entry) with the same TTL. A node killed with
 * SIGKILL stops refreshing both, so within three heartbeats its connections are no longer listed or
 * routed to. After an outage or a Redis restart (seen as a missing `node-info` key at the next
 * heartbeat, or as a failed update) the node rewrites its whole list from its own connections.
 */
export class RedisPresence {
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private beats = 0;
  /** Redis may be missing changes to this node's connections: rewrite them at the next heartbeat. */
  private dirty = true;
  private beating: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly local: LocalConnections,
    private readonly options: RedisPresenceOptions,
  ) {}

  private get ttlMs(): number {
    return this.options.heartbeatMs * 3;
  }

  /** Announces the node (first heartbeat, throws when Redis does not answer) and keeps announcing it. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  /** Marks the list stale and runs a heartbeat now (after ioredis reconnected). */
  refresh(): void {
    this.dirty = true;
    void this.heartbeat();
  }

  /** Stops the heartbeat and takes the node out of Redis at once, rather than after its TTL. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating?.catch(() => undefined);
    await this.redis
      .multi()
      .srem(this.keys.nodes, this.options.nodeId)
      .del(this.keys.nodeInfo(this.options.nodeId), this.keys.nodeSessions(this.options.nodeId))
      .exec();
  }

  /** This node's counters, fresh. */
  ownInfo(): NodeInfo {
    return { node: this.options.nodeId, started_at: this.startedAt, last_seen_at: new Date().toISOString(), ...this.local.stats() };
  }

  /** Lists the connection under this node and has every other node close its older one (4001). */
  async claim(info: ConnectedSessionInfo): Promise<void> {
    const notice: ReplaceNotice = { kind: 'replace', session_id: info.session_id, keep_connection_id: info.connection_id };
    try {
      await claimSessionScript.run(this.redis, [], [
        this.keys.prefix,
        this.options.nodeId,
        info.session_id,
        JSON.stringify(info),
        this.ttlMs,
        JSON.stringify(notice),
      ]);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /** Takes the connection off this node's list, unless a newer one of the session has replaced it. */
  async release(sessionId: string, connectionId: string): Promise<void> {
    try {
      await releaseSessionScript.run(this.redis, [], [this.keys.prefix, this.options.nodeId, sessionId, connectionId]);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /**
   * Every live node, this one always included with fresh counters. Another node's `connections_active`
   * is the count of its listed connections, which it updates at every claim and release, rather than the
   * figure in its heartbeat (up to a heartbeat old): so it agrees with the session list of the same
   * moment instead of showing, say, 3 sessions on 1 connection.
   */
  async nodes(): Promise<NodeInfo[]> {
    const [listed, remote] = await Promise.all([liveNodesScript.run(this.redis, [], [this.keys.prefix]), this.remoteSessions()]);
    const counts = new Map<string, number>();
    for (const entry of remote) counts.set(entry.node, (counts.get(entry.node) ?? 0) + 1);
    const others = parseList<NodeInfo>(listed)
      .filter((entry) => entry.node !== this.options.nodeId)
      .map((entry) => ({ ...entry, connections_active: counts.get(entry.node) ?? 0 }));
    return [this.ownInfo(), ...others].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  /** The connections of every other live node (this node's own come from LocalConnections, fresher). */
  async remoteSessions(): Promise<ConnectedSessionInfo[]> {
    return parseList<ConnectedSessionInfo>(
      await remoteSessionsScript.run(this.redis, [], [this.keys.prefix, this.options.nodeId]),
    );
  }

  /** The live node holding the session's connection, preferring another node over this one; null if none. */
  async locate(sessionId: string): Promise<string | null> {
    const node = await locateSessionScript.run(this.redis, [], [this.keys.prefix, sessionId, this.options.nodeId]);
    return typeof node === 'string' ? node : null;
  }

  private heartbeat(): Promise<void> {
    // one at a time: a slow Redis must not pile up heartbeats
    if (this.beating !== undefined) return this.beating;
    this.beating = this.beat()
      .then(() => {
        if (this.failing) this.options.logger.info('cluster heartbeat works again');
        this.failing = false;
      })
      .catch((error: unknown) => {
        this.dirty = true;
        // once per outage at warn; the heartbeats that keep failing during it only at debug
        const level = this.failing ? 'debug' : 'warn';
        this.failing = true;
        this.options.logger[level]({ err: error instanceof Error ? error.message : String(error) }, 'cluster heartbeat failed');
      })
      .finally(() => {
        this.beating = undefined;
      });
    return this.beating;
  }

  private async beat(): Promise<void> {
    const { nodeId } = this.options;
    const results = await this.redis
      .pipeline()
      // GET returns the previous value: none means Redis forgot this node (restart, or a lapse past the TTL)
      .set(this.keys.nodeInfo(nodeId), JSON.stringify(this.ownInfo()), 'PX', this.ttlMs, 'GET')
      .sadd(this.keys.nodes, nodeId)
      .pexpire(this.keys.nodeSessions(nodeId), this.ttlMs)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
    const previous = results?.[0]?.[1];
    this.beats += 1;
    if (previous === null || this.dirty || this.beats % RESYNC_EVERY_BEATS === 0) await this.resync();
  }

  private async resync(): Promise<void> {
    this.dirty = false;
    const connections = this.local.list();
    const pairs = connections.flatMap((entry) => [entry.session_id, JSON.stringify(entry)]);
    try {
      const superseded = await resyncSessionsScript.run(this.redis, [], [this.keys.prefix, this.options.nodeId, this.ttlMs, ...pairs]);
      // another node got a newer connection to these sessions while Redis could not tell us: ours is the old one
      for (const sessionId of parseStrings(superseded)) this.local.closeReplaced(sessionId, '');
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}

function parseStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Entries written by this module's own JSON.stringify; unreadable ones (another version) are skipped. */
function parseList<T>(value: unknown): T[] {
  const parsed: T[] = [];
  for (const item of parseStrings(value)) {
    try {
      parsed.push(JSON.parse(item) as T);
    } catch {
      // skipped: one bad entry must not hide every node's sessions
    }
  }
  return parsed;
}
