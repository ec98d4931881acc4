#!/usr/bin/env node
// Runs every test file under test/ (and unit tests beside the code in src/) with Node's own test runner.
// Node 20's runner does not expand globs itself, so the files are collected here.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(directory, found = []) {
  let entries;
  try {
    entries = readdirSync(directory);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) collect(path, found);
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = [...collect('src'), ...collect('test'), ...collect('packages'), ...collect('web/src')]
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// the workspace packages (packages/*) export their TypeScript sources under the `viva-source` condition;
// tests and every child process they start run the sources, never a stale build of a package
function withSourceCondition(options = '') {
  return options.includes('--conditions=viva-source') ? options : `${options} --conditions=viva-source`.trim();
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', NODE_OPTIONS: withSourceCondition(process.env.NODE_OPTIONS) } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
