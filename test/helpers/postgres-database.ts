import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The server tests use: PostgreSQL on this machine (trust auth). VIVA_TEST_PG_URL points elsewhere; it
 * names the maintenance database used to create and drop the per-run databases.
 */
export const adminDatabaseUrl = process.env.VIVA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Whether PostgreSQL answers at adminDatabaseUrl (tests skip with a reason when it does not). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, empty database `viva_test_<random>` for one test file or run. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `viva_test_${randomBytes(6).toString('hex')}`;
  await runAdmin(`CREATE DATABASE ${name}`);
  return {
    name,
    url: urlFor(name),
    drop: () => runAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function runAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
