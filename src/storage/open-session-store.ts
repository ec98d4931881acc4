import type { SessionStore } from '../interview/session-store.js';
import { SqliteSessionStore } from './sqlite/sqlite-session-store.js';

/** DATABASE_URL picks the store: `postgres://…` for PostgreSQL, anything else is a SQLite file path. */
export async function openSessionStore(databaseUrl: string): Promise<SessionStore> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error('PostgreSQL (DATABASE_URL=postgres://…) is not available in this build.');
  }
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  // NORMAL: with WAL a killed process loses nothing committed; FULL would add an fsync to every turn
  return SqliteSessionStore.open(path, { synchronous: 'NORMAL' });
}
