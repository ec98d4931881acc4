/** WebSocket close codes of the wire contract (docs/protocol.md §4). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  REPLACED: 4001,
  TOO_SLOW: 4002,
  HEARTBEAT_TIMEOUT: 4008,
  TOO_MANY_CONNECTIONS: 4029,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client should reconnect (and resume); the others mean "stop". */
export const reconnectableCloseCodes: ReadonlySet<number> = new Set([
  CloseCode.GOING_AWAY,
  CloseCode.INTERNAL_ERROR,
  CloseCode.SERVICE_RESTART,
  CloseCode.TOO_SLOW,
  CloseCode.HEARTBEAT_TIMEOUT,
  1006,
]);
