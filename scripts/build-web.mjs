#!/usr/bin/env node
// Builds the candidate app and the admin dashboard (web/) into web/dist with Vite, which the server then
// serves at / and /admin. Runs from `npm install` (prepare), `npm run build` and `npm start` (prestart),
// so nobody builds by hand; it skips the work when web/dist is newer than every source it is built from.
//
//   node scripts/build-web.mjs           build if web/dist is missing or stale
//   node scripts/build-web.mjs --force   build regardless
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestChange } from './newest-change.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['web/dist/index.html', 'web/dist/admin.html'];
const sources = ['web/index.html', 'web/admin.html', 'web/vite.config.ts', 'web/src', 'packages/client/src', 'packages/protocol/src'];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}


const force = process.argv.includes('--force');
const built = Math.min(...outputs.map((file) => mtime(join(root, file))));
const changed = Math.max(...sources.map((source) => newestChange(join(root, source))));
if (!force && built > 0 && built >= changed) {
  console.log('web app: web/dist is up to date');
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch {
  // a production install (--omit=dev) has no Vite: the server still runs, and says so at /
  console.warn('web app: Vite is not installed (dev dependency), so web/dist was not built; / and /admin will not serve the app');
  process.exit(0);
}

const started = Date.now();
await vite.build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
console.log(`web app: built web/dist in ${Date.now() - started} ms`);
