import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { SessionSearch } from '../src/interview/interview-templates.js';
import { initialProgress } from '../src/interview/interview-types.js';
import type { SessionStore } from '../src/interview/session-store.js';
import { PostgresSessionStore } from '../src/storage/postgres/postgres-session-store.js';
import { SqliteSessionStore } from '../src/storage/sqlite/sqlite-session-store.js';

/**
 * `npx tsx bench/interview-listing.ts [sessions]`: GET /api/v1/interviews' query (searchSessions) on a
 * store holding 100,000 sessions (default), in SQLite and, when it answers at VIVA_BENCH_PG_URL (default
 * the test server), PostgreSQL. Prints the median and p95 of each kind of page in milliseconds.
 */

const SESSIONS = Number(process.argv[2] ?? 100_000);
const TEMPLATES = 20;
const RUNS = 30;
const pgAdminUrl = process.env.VIVA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Row {
  id: string;
  created_at: string;
  candidate: string;
  progress: string;
  template_id: string | null;
}

/** Sessions spread over 200 days; a third completed, a third in progress; 80% from one of 20 templates. */
function* rows(): Generator<Row> {
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const states = ['not_started', 'in_progress', 'completed'] as const;
  for (let index = 0; index < SESSIONS; index += 1) {
    const state = states[index % 3] ?? 'completed';
    yield {
      id: `s_${index.toString(36).padStart(6, '0')}_${randomBytes(4).toString('hex')}`,
      created_at: new Date(start + Math.floor((index / SESSIONS) * 200 * 86_400_000)).toISOString(),
      candidate: JSON.stringify({ name: `Candidate ${index}` }),
      progress: JSON.stringify({ ...initialProgress(), state }),
      template_id: index % 5 === 0 ? null : `tpl_${index % TEMPLATES}`,
    };
  }
}

const searches: Array<[string, (middle: string) => SessionSearch]> = [
  ['newest 50', () => ({ limit: 51 })],
  ['state=completed', () => ({ limit: 51, state: 'completed' })],
  ['template_id', () => ({ limit: 51, template_id: 'tpl_7' })],
  ['template + state', () => ({ limit: 51, template_id: 'tpl_7', state: 'in_progress' })],
  ['from/to (one day)', () => ({ limit: 51, created_from: '2026-05-01T00:00:00.000Z', created_before: '2026-05-02T00:00:00.000Z' })],
  ['cursor mid-table', (middle) => ({ limit: 51, after: { created_at: middle, id: '' } })],
  ['q (name contains)', () => ({ limit: 51, q: 'candidate 99999' })],
];

async function measure(store: SessionStore, middle: string): Promise<string[]> {
  const lines: string[] = [];
  for (let index = 0; index < TEMPLATES; index += 1) {
    const now = new Date().toISOString();
    await store.createTemplate({ template_id: `tpl_${index}`, name: `Template ${index}`, interview: {}, focus: [], invite: `invite-key-${index}-${randomBytes(8).toString('hex')}`, created_at: now, updated_at: now });
  }
  const listTimes: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    await store.listTemplates();
    listTimes.push(performance.now() - started);
  }
  listTimes.sort((a, b) => a - b);
  lines.push(`  ${'GET /templates'.padEnd(20)} median ${(listTimes[2] ?? 0).toFixed(2).padStart(7)} ms   (counts over ${TEMPLATES} templates)`);
  for (const [label, make] of searches) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      await store.searchSessions(make(middle));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
    lines.push(`  ${label.padEnd(20)} median ${median.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms`);
  }
  return lines;
}

async function benchSqlite(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'viva-listing-'));
  const path = join(directory, 'viva.db');
  try {
    (await SqliteSessionStore.open(path).close());
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count, template_id)
       VALUES (@id, @created_at, @created_at, @candidate, '{}', NULL, @progress, NULL, 0, 0, @template_id)`,
    );
    db.transaction(() => {
      for (const row of rows()) insert.run(row);
    })();
    db.exec('ANALYZE');
    db.close();
    const store = SqliteSessionStore.open(path);
    console.log(`SQLite, ${SESSIONS} sessions:`);
    for (const line of await measure(store, '2026-04-10T00:00:00.000Z')) console.log(line);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
  } catch {
    console.log('PostgreSQL: not reachable, skipped');
    return;
  }
  const name = `viva_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  try {
    const store = await PostgresSessionStore.open(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const all = [...rows()];
    for (let offset = 0; offset < all.length; offset += 5_000) {
      const batch = all.slice(offset, offset + 5_000);
      await client.query(
        `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count, template_id)
         SELECT id, created_at, created_at, candidate, '{}', NULL, progress, NULL, 0, 0, template_id
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[]) AS r (id, created_at, candidate, progress, template_id)`,
        [batch.map((row) => row.id), batch.map((row) => row.created_at), batch.map((row) => row.candidate), batch.map((row) => row.progress), batch.map((row) => row.template_id)],
      );
    }
    await client.query('ANALYZE sessions');
    await client.end();
    console.log(`PostgreSQL, ${SESSIONS} sessions:`);
    for (const line of await measure(store, '2026-04-10T00:00:00.000Z')) console.log(line);
    await store.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await benchSqlite();
await benchPostgres();
