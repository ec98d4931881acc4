import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SqliteSessionStore } from '../../src/storage/sqlite/sqlite-session-store.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/sqlite-commit-loop.ts', import.meta.url));

interface CrashRun {
  acked: number[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the commit loop in a child process and SIGKILLs it once it has acknowledged `killAfter` messages.
 * Resolves after the child is gone and its stdout fully read.
 */
function runAndKill(path: string, synchronous: 'FULL' | 'NORMAL', killAfter: number): Promise<CrashRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, path, synchronous], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let stderr = '';
    let pending = '';
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match?.[1] === undefined) continue;
        acked.push(Number(match[1]));
        if (acked.length === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(deadline);
      resolve({ acked, signal, stderr });
    });
  });
}

async function assertIntact(path: string, acked: number[]): Promise<number> {
  const store = SqliteSessionStore.open(path);
  try {
    const session = await store.getSession('crash');
    assert.ok(session !== null, 'the session survived');
    const messages = await store.messagesAfter('crash', 0);
    const seqs = messages.map((message) => message.seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, index) => index + 1),
      'seqs are gap-free from 1',
    );
    assert.equal(session.last_seq, seqs.length, 'last_seq matches the stored messages');
    const stored = new Set(seqs);
    const lost = acked.filter((seq) => !stored.has(seq));
    assert.deepEqual(lost, [], 'every acknowledged seq is stored');

    // each commit is whole: a transcription and its ai_response, one turn, and the patched progress
    const turns = await store.turns('crash');
    assert.equal(session.turn_count, turns.length);
    assert.equal(messages.length, turns.length * 2);
    assert.equal(session.progress.current_index, turns.length);
    for (const [index, turn] of turns.entries()) {
      assert.equal(turn.turn, index + 1);
      const answer = await store.messagesForInput('crash', `in-${turn.turn}`);
      assert.deepEqual(
        answer.map((message) => [message.type, message.seq]),
        [
          ['transcription', index * 2 + 1],
          ['ai_response', index * 2 + 2],
        ],
      );
    }
    return seqs.length;
  } finally {
    await store.close();
  }
}

describe('SqliteSessionStore crash safety', () => {
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    it(`keeps every acknowledged message when the process is SIGKILLed (synchronous=${synchronous})`, async () => {
      const directory = await mkdtemp(join(tmpdir(), 'viva-crash-'));
      try {
        const path = join(directory, 'viva.db');
        let storedBefore = 0;
        // several rounds: each child recovers the file the previous one was killed on and carries on
        for (let round = 0; round < 3; round += 1) {
          const killAfter = 40 + Math.floor(Math.random() * 200);
          const run = await runAndKill(path, synchronous, killAfter);
          assert.equal(run.signal, 'SIGKILL', `the child died by SIGKILL, not on its own: ${run.stderr}`);
          assert.ok(run.acked.length >= killAfter, `the child acknowledged enough commits: ${run.stderr}`);
          assert.equal(run.acked[0], storedBefore + 1, 'a new child continues numbering where the file left off');
          const stored = await assertIntact(path, run.acked);
          assert.ok(stored >= Math.max(...run.acked));
          storedBefore = stored;
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  }
});
