import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SqliteSessionStore } from '../../src/storage/sqlite/sqlite-session-store.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';
import { startViva } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('data rights', () => {
  it('erases a session, its transcript and report, on an admin DELETE', async () => {
    const server = await startViva();
    try {
      const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/erase-me`);
      await client.answer('Hello');
      await client.answer('My name is Erin and I worked at Example Corp for five years.');
      const unauthorized = await fetch(`${server.baseUrl}/api/v1/interview/erase-me`, { method: 'DELETE' });
      assert.equal(unauthorized.status, 401);
      const erased = await fetch(`${server.baseUrl}/api/v1/interview/erase-me`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      assert.equal(erased.status, 200);
      assert.equal(await client.closed, 1000, 'the live connection is closed');
      assert.equal((await fetch(`${server.baseUrl}/api/v1/interview/erase-me`)).status, 404);
      assert.equal((await fetch(`${server.baseUrl}/api/v1/interview/erase-me/report`)).status, 404);
      const again = await fetch(`${server.baseUrl}/api/v1/interview/erase-me`, { method: 'DELETE', headers: { authorization: `Bearer ${server.adminToken}` } });
      assert.equal(again.status, 404);
    } finally {
      await server.stop();
    }
  });

  it('purges sessions older than RETENTION_DAYS by itself', async () => {
    const path = join(temporaryDirectory('viva-retention-'), 'viva.db');
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const old = SqliteSessionStore.open(path, { now: () => longAgo });
    await old.createSession({ id: 'old-session' });
    await old.close();
    const fresh = SqliteSessionStore.open(path);
    await fresh.createSession({ id: 'new-session' });
    await fresh.close();

    const server = await startViva({ DATABASE_URL: path, RETENTION_DAYS: '30' });
    try {
      const deadline = Date.now() + 5_000;
      let status = 200;
      while (Date.now() < deadline && status !== 404) {
        status = (await fetch(`${server.baseUrl}/api/v1/interview/old-session`)).status;
        if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(status, 404, 'the 40-day-old session is gone');
      assert.equal((await fetch(`${server.baseUrl}/api/v1/interview/new-session`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});
