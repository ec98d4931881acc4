/**
 * Every Redis key and pub/sub channel of one deployment, all under REDIS_KEY_PREFIX. Each kind of key has
 * its own namespace word (`node-info:`, `node-sessions:`, …) so that no node id, whatever characters it
 * has, can make one kind of key collide with another. The Lua scripts in redis-scripts.ts build the same
 * names; keep the two in step.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** SET of the ids of nodes that have announced themselves (dead ones are pruned lazily). */
  readonly nodes: string;
  /** STRING, JSON NodeInfo, with a TTL: the node's heartbeat. */
  nodeInfo(nodeId: string): string;
  /** HASH session_id → JSON ConnectedSessionInfo: the node's live connections. */
  nodeSessions(nodeId: string): string;
  /** Pub/sub channel on which the node takes messages for its connections. Channels ignore the db number. */
  nodeInbox(nodeId: string): string;
  /** STRING holding the token of the node processing the session's inputs, with a TTL. */
  lease(sessionId: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    nodes: `${prefix}nodes`,
    nodeInfo: (nodeId) => `${prefix}node-info:${nodeId}`,
    nodeSessions: (nodeId) => `${prefix}node-sessions:${nodeId}`,
    nodeInbox: (nodeId) => `${prefix}node-inbox:${nodeId}`,
    lease: (sessionId) => `${prefix}lease:${sessionId}`,
  };
}
