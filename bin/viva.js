#!/usr/bin/env node
// `viva chat [URL]`: the terminal client (packages/client/src/cli/viva-chat.ts).
//
// It runs the compiled CLI (packages/client/dist, made by `npm install`, `npm run build` or `npm start`) when that exists and is not
// older than the sources, and otherwise the TypeScript itself through tsx: so it works from a fresh clone
// after `npm install`, and a build left behind by an earlier `npm start` never hides newer sources.
// Without tsx (a production install) an out-of-date build still runs, with a warning.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('packages/client/dist/cli/viva-chat.js', root);
const source = new URL('packages/client/src/cli/viva-chat.ts', root);
// the CLI's sources: a change in any of them makes the build stale
const sourceDirectories = ['packages/client/src/', 'packages/protocol/src/'].map((path) => new URL(path, root));

/** Newest modification time of the .ts files under `directory`, milliseconds (0 when there are none). */
function newestSource(directory) {
  let newest = 0;
  if (!existsSync(directory)) return newest;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, directory);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(built)) return false;
  if (!existsSync(source)) return true;
  const newest = Math.max(...sourceDirectories.map(newestSource));
  return statSync(built).mtimeMs >= newest;
}

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const runSource = !buildIsCurrent() && existsSync(source);
// tsx is registered whenever it is installed: under the `viva-source` condition (tests, `npm run dev`) even
// the build imports the workspace packages' TypeScript sources
const tsx = await loadTsx();
tsx?.register();
if (runSource && tsx !== undefined) {
  await import(source.href);
} else if (existsSync(built)) {
  if (existsSync(source) && !buildIsCurrent()) {
    console.error('viva: tsx is not installed; running the build in dist/, which is older than the sources (npm run build).');
  }
  await import(built.href);
} else {
  console.error('viva: the CLI is not built and tsx is not installed. Run `npm install` (or `npm run build`) first.');
  process.exit(1);
}
