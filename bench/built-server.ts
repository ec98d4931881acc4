import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const built = new Set<string>();

/**
 * The compiled server of the checkout at `root` (dist/src/main.js), built first if a source changed since
 * the last build (scripts/build-server.mjs: incremental, a no-op when dist/ is up to date). The bench runs
 * what `npm start` runs. Under tsx the same code pays for esbuild's `keepNames` helper, which names every
 * function expression and class as it is created (Object.defineProperty on each closure of each turn),
 * and for the loader's hooks: a few per cent of a turn that no installed server spends.
 */
export function builtServerScript(root: string, log: (line: string) => void = () => undefined): string {
  const script = join(root, 'dist/src/main.js');
  if (built.has(root)) return script;
  const result = spawnSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(script)) {
    throw new Error(`could not build the server in ${root} (node scripts/build-server.mjs):\n${result.stdout}${result.stderr}`);
  }
  log(`  ${result.stdout.trim()} (${root})`);
  built.add(root);
  return script;
}
