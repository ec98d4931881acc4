import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop-load.js';
import { startServer } from './server-process.js';
import { builtServerScript } from './built-server.js';
import { VIVA_BENCH_SETTINGS } from './viva-bench-settings.js';

/**
 * `npm run bench:compare -- DIR [DIR…]`: Viva from each checkout (a `git worktree` of another commit, say)
 * under the same closed-loop load, the checkouts alternating round after round, so a change is compared
 * with what it changes in the same minutes. On a machine whose speed drifts between runs (this one's CPU
 * per turn moved by half within an hour), only such paired runs tell a 10% change from the drift.
 * `DIR@--node-flag …` adds Node flags for that variant. Each checkout needs its dependencies installed; its
 * server is built (dist/, as `npm start` builds it) before it is first measured.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'warmup-ms': { type: 'string', default: '3000' },
    'duration-ms': { type: 'string', default: '6000' },
  },
});

interface Variant {
  label: string;
  root: string;
  nodeFlags: string[];
}

function variantOf(argument: string): Variant {
  const [root = '.', flags] = argument.split('@');
  return { label: argument, root: resolve(root), nodeFlags: flags === undefined ? [] : flags.split(' ').filter(Boolean) };
}

async function measure(variant: Variant): Promise<ClosedLoopResult> {
  const directory = mkdtempSync(join(tmpdir(), 'viva-compare-'));
  const server = await startServer({
    name: variant.label,
    script: builtServerScript(variant.root),
    environment: { ...VIVA_BENCH_SETTINGS, DATABASE_URL: join(directory, 'viva.db') },
    nodeFlags: variant.nodeFlags,
  });
  try {
    return await runClosedLoop({
      target: { kind: 'viva', wsBase: server.wsBase },
      connections: Number(values.connections),
      clientThreads: 1,
      warmupMs: Number(values['warmup-ms']),
      durationMs: Number(values['duration-ms']),
      serverPid: server.pid,
      metricsBase: server.httpBase,
    });
  } finally {
    await server.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

function line(result: ClosedLoopResult): string {
  const failures = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
  return (
    `${result.turnsPerSecond.toFixed(0).padStart(6)} turns/s  p50 ${result.latencyMs.p50.toFixed(1).padStart(5)} ms` +
    `  p99 ${result.latencyMs.p99.toFixed(1).padStart(5)} ms  CPU ${result.server.cpuMicrosecondsPerTurn.toFixed(0).padStart(5)} µs/turn` +
    ` (main ${result.server.mainThreadMicrosecondsPerTurn.toFixed(0).padStart(5)})` +
    (result.server.loopDelayMs ? `  loop delay max ${result.server.loopDelayMs.max.toFixed(0).padStart(3)} ms` : '') +
    (failures > 0 ? `  failures ${failures}` : '')
  );
}

async function main(): Promise<void> {
  const variants = (positionals.length > 0 ? positionals : ['.']).map(variantOf);
  const results = new Map<string, ClosedLoopResult[]>(variants.map((variant) => [variant.label, []]));
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    for (const variant of variants) {
      const result = await measure(variant);
      results.get(variant.label)?.push(result);
      process.stderr.write(`round ${round}  ${variant.label}: ${line(result)}\n`);
    }
  }
  for (const [label, runs] of results) {
    const cpu = runs.map((run) => run.server.cpuMicrosecondsPerTurn).sort((a, b) => a - b);
    const median = cpu[Math.floor(cpu.length / 2)] ?? 0;
    process.stdout.write(`${label}\n  median CPU ${median.toFixed(0)} µs/turn\n${runs.map((run) => `  ${line(run)}`).join('\n')}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compare-checkouts failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
