/**
 * Exclusive right to process a session's inputs. On one node the task queue already serializes a
 * session, so the local lease simply runs the task; in cluster mode a lease held in Redis makes sure only
 * one node at a time works on a session, and expires if that node dies.
 */
export interface SessionLeases {
  withLease<T>(sessionId: string, task: () => Promise<T>): Promise<T>;
}

export const localSessionLeases: SessionLeases = {
  withLease: (_sessionId, task) => task(),
};
