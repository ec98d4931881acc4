import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/** Issue 10, item 11: the 2,000-character limit of an admin notice is enforced and documented in OpenAPI. */
describe('admin notice limit', () => {
  let server: RunningViva;
  before(async () => {
    server = await startInProcess();
  });
  after(async () => {
    await server.stop();
  });

  const broadcast = (message: string) =>
    fetch(`${server.baseUrl}/api/v1/websocket/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
      body: JSON.stringify({ message }),
    });

  it('takes 2,000 characters and refuses 2,001 with INVALID_MESSAGE', async () => {
    assert.equal((await broadcast('x'.repeat(2_000))).status < 300, true);
    const refused = await broadcast('x'.repeat(2_001));
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'INVALID_MESSAGE');
  });

  it('states the limit in the OpenAPI document', async () => {
    const document = (await (await fetch(`${server.baseUrl}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { maxLength?: number; description?: string }> } }> } }>>;
    };
    const schema = document.paths['/api/v1/websocket/broadcast']?.post?.requestBody?.content['application/json']?.schema;
    assert.equal(schema?.properties.message?.maxLength, 2_000);
    assert.match(schema?.properties.message?.description ?? '', /2000 characters/);
  });
});
