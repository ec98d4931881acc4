import { execFile } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();

/**
 * Makes sure web/dist is built from the current sources: scripts/build-web.mjs builds when web/dist is
 * missing or older than a source, and does nothing otherwise. Test files run in parallel processes, so a
 * lock directory makes one of them build while the others wait.
 */
export async function ensureWebBuild(): Promise<void> {
  const lock = join(tmpdir(), `viva-web-build-${Buffer.from(root).toString('base64url').slice(-24)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      // a lock left behind by a killed run
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another process to build web/dist');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await run(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`the web build failed (node scripts/build-web.mjs):\n${output.stderr ?? ''}${output.stdout ?? ''}`, { cause: error });
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
