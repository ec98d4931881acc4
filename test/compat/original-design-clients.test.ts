import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';

const run = promisify(execFile);
// Debian's python3 with python3-websockets (.ci/run installs it); the pyenv python may not have it
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('the client examples of the original design work unchanged', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('a Python websockets client sends text_input to /api/v1/ws and reads data.ai_response', async (t) => {
    try {
      await run(python, ['-c', 'import websockets']);
    } catch {
      t.skip('python3-websockets is not installed (apt-get install python3-websockets)');
      return;
    }
    const { stdout } = await run(python, ['test/compat/original_design_client.py', `${server.wsUrl}/api/v1/ws`], { timeout: 20_000 });
    const reply = JSON.parse(stdout.trim()) as { type: string; data: { ai_response: string } };
    assert.equal(reply.type, 'ai_response');
    assert.ok(reply.data.ai_response.length > 20);
  });
});
