import type { SessionStore } from '../interview/session-store.js';
import { PostgresSessionStore } from './postgres/postgres-session-store.js';
import { SqliteSessionStore } from './sqlite/sqlite-session-store.js';

export interface OpenSessionStoreOptions {
  /** Connections to PostgreSQL (PG_POOL_SIZE); ignored for SQLite. @default 10 */
  poolSize?: number;
  /** Told about failures of idle PostgreSQL connections, which the pool replaces by itself. */
  onIdleError?: (error: Error) => void;
}

/** DATABASE_URL picks the store: `postgres://…` for PostgreSQL, anything else is a SQLite file path. */
export async function openSessionStore(databaseUrl: string, options: OpenSessionStoreOptions = {}): Promise<SessionStore> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    return PostgresSessionStore.open(databaseUrl, {
      ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
      ...(options.onIdleError !== undefined ? { onIdleError: options.onIdleError } : {}),
    });
  }
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  // synchronous=NORMAL, the store's default (docs/decisions/0002-sqlite-synchronous-normal.md)
  return SqliteSessionStore.open(path, { checkpointInBackground: true });
}
