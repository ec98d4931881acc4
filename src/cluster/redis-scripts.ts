import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full only when Redis does not know it yet: after a
 * restart Redis has forgotten every script, and the NOSCRIPT fallback teaches it again.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/*
 * The presence scripts walk the set of nodes and build key names from it, so they touch keys they do not
 * declare in KEYS: they need one Redis (or a primary with replicas), not Redis Cluster. Key names follow
 * redis-keys.ts. A node counts as live while its `node-info:` key (the heartbeat, with a TTL) exists.
 */

/** The lease is released only by the holder of the token: compare-and-delete. */
export const releaseLeaseScript = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** The lease is extended only by the holder of the token: compare-and-expire. */
export const renewLeaseScript = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/** ARGV: prefix. The NodeInfo JSON of every live node; nodes whose heartbeat ran out are forgotten. */
export const liveNodesScript = new RedisScript(`
local prefix = ARGV[1]
local result = {}
for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
  local info = redis.call('GET', prefix .. 'node-info:' .. id)
  if info then
    result[#result + 1] = info
  else
    redis.call('SREM', prefix .. 'nodes', id)
    redis.call('DEL', prefix .. 'node-sessions:' .. id)
  end
end
return result
`);

/** ARGV: prefix, asking node. The connection entries of every other live node. */
export const remoteSessionsScript = new RedisScript(`
local prefix, self = ARGV[1], ARGV[2]
local result = {}
for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
  if id ~= self and redis.call('EXISTS', prefix .. 'node-info:' .. id) == 1 then
    for _, entry in ipairs(redis.call('HVALS', prefix .. 'node-sessions:' .. id)) do
      result[#result + 1] = entry
    end
  end
end
return result
`);

/** ARGV: prefix, session id, asking node. The live node holding the session's connection (others first), or nil. */
export const locateSessionScript = new RedisScript(`
local prefix, session, self = ARGV[1], ARGV[2], ARGV[3]
local found = false
for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
  if redis.call('HEXISTS', prefix .. 'node-sessions:' .. id, session) == 1
      and redis.call('EXISTS', prefix .. 'node-info:' .. id) == 1 then
    if id ~= self then return id end
    found = id
  end
end
return found
`);

/**
 * ARGV: prefix, claiming node, session id, entry JSON, TTL ms, replace notice JSON. Lists the connection
 * under the claiming node, takes it off every other node and tells those nodes (on their inbox) to close
 * their older connection with 4001. Returns how many were told.
 */
export const claimSessionScript = new RedisScript(`
local prefix, self, session = ARGV[1], ARGV[2], ARGV[3]
local own = prefix .. 'node-sessions:' .. self
redis.call('HSET', own, session, ARGV[4])
redis.call('PEXPIRE', own, ARGV[5])
local replaced = 0
for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
  if id ~= self and redis.call('HDEL', prefix .. 'node-sessions:' .. id, session) == 1 then
    redis.call('PUBLISH', prefix .. 'node-inbox:' .. id, ARGV[6])
    replaced = replaced + 1
  end
end
return replaced
`);

/** ARGV: prefix, node, session id, connection id. Removes the entry only while it is that connection's. */
export const releaseSessionScript = new RedisScript(`
local own = ARGV[1] .. 'node-sessions:' .. ARGV[2]
local entry = redis.call('HGET', own, ARGV[3])
if entry and cjson.decode(entry).connection_id == ARGV[4] then
  return redis.call('HDEL', own, ARGV[3])
end
return 0
`);

/**
 * ARGV: prefix, node, TTL ms, then pairs (session id, entry JSON). Rewrites the node's whole connection
 * list, after Redis lost it (restart) or missed changes (outage). A session also listed by another node is
 * settled by connected_at: the newer connection stays; the other node is told to close its older one, or
 * the session is returned for this node to close its own. Returns the sessions this node must close.
 */
export const resyncSessionsScript = new RedisScript(`
local prefix, self, ttl = ARGV[1], ARGV[2], ARGV[3]
local own = prefix .. 'node-sessions:' .. self
redis.call('DEL', own)
local others = {}
for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
  if id ~= self then others[#others + 1] = id end
end
local superseded = {}
for i = 4, #ARGV, 2 do
  local session, entry = ARGV[i], ARGV[i + 1]
  local mine = cjson.decode(entry)
  local keep = true
  for _, id in ipairs(others) do
    local theirs = redis.call('HGET', prefix .. 'node-sessions:' .. id, session)
    if theirs then
      if cjson.decode(theirs).connected_at > mine.connected_at then
        keep = false
      else
        redis.call('HDEL', prefix .. 'node-sessions:' .. id, session)
        redis.call('PUBLISH', prefix .. 'node-inbox:' .. id,
          cjson.encode({kind = 'replace', session_id = session, keep_connection_id = mine.connection_id}))
      end
    end
  end
  if keep then redis.call('HSET', own, session, entry) else superseded[#superseded + 1] = session end
end
if redis.call('EXISTS', own) == 1 then redis.call('PEXPIRE', own, ttl) end
return superseded
`);
