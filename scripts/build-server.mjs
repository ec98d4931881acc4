#!/usr/bin/env node
// Compiles the server and the client SDK (tsconfig.build.json) into dist/, as `npm run build` and
// `npm start` (prestart) ask, but only when something it is built from changed since the last build:
// a restart of an installed server then starts in about a second instead of waiting for the compiler.
// When a source did change, tsc runs incrementally (dist/.tsbuildinfo) and redoes only what it must.
//
//   node scripts/build-server.mjs           build if dist/ is missing or stale
//   node scripts/build-server.mjs --force   build regardless
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestChange } from './newest-change.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// written after a build that succeeded; its time is the build's
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['src', 'packages/protocol/src', 'packages/client/src', 'packages/protocol/package.json', 'packages/client/package.json', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];


const force = process.argv.includes('--force');
const built = newestChange(stamp);
if (!force && built > 0 && built >= Math.max(...sources.map((source) => newestChange(join(root, source))))) {
  console.log('server: dist/ is up to date');
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // a production install (--omit=dev) has no compiler: what is in dist/ runs, as it was built
  console.warn('server: TypeScript is not installed (dev dependency), so dist/ was not rebuilt');
  process.exit(built > 0 ? 0 : 1);
}

const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`server: compiled into dist/ in ${Date.now() - started} ms`);
