import type { ChildProcess } from 'node:child_process';
import { spawnNodeWithRaisedLimit, spawnWithRaisedLimit } from './raised-limit-spawn.js';
import { openFilesLimit } from './process-stats.js';
import { collectGarbage, javascriptBytes } from './inspector-gc.js';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** `ws://127.0.0.1:PORT` */
  readonly wsBase: string;
  /** `http://127.0.0.1:PORT`, for the HTTP API and Viva's /metrics */
  readonly httpBase: string;
  readonly openFilesLimit: number | undefined;
  /** When the child was spawned, epoch milliseconds (about when a --cpu-prof profile starts). */
  readonly spawnedAt: number;
  /** The last lines the server wrote (stderr and stdout logs), for reports when something fails. */
  outputTail(): string;
  /** Log lines at warn or above seen so far (pino level >= 40). */
  warnings(): number;
  /**
   * Collects all the server's garbage (through its inspector: a Node server started with
   * `--inspect=127.0.0.1:0`); undefined for a server without one.
   */
  collectGarbage: (() => Promise<void>) | undefined;
  /** What the server's JavaScript holds (heap in use and external), through the same inspector. */
  javascriptBytes: (() => Promise<number>) | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ServerStart {
  name: string;
  /** Script run with node: a `.ts` one through tsx (`node --import tsx`), a compiled `.js` one as it is. */
  script: string;
  /** Runs `script` with this program instead of node (the Python peer: `/usr/bin/python3`). */
  interpreter?: string;
  environment: Record<string, string>;
  nodeFlags?: string[];
  /** How long the banner may take, milliseconds. @default 60000 */
  startTimeoutMs?: number;
}

const TAIL_BYTES = 16 * 1024;
const BANNER = /listening on http:\/\/[^:\s]+:(\d+)/;
/** What Node prints at start when run with --inspect. */
const INSPECTOR_BANNER = /Debugger listening on (ws:\/\/\S+)/;

/** Starts a server child and resolves once its banner ("… listening on http://HOST:PORT") is printed. */
export async function startServer(start: ServerStart): Promise<ServerProcess> {
  const spawnedAt = Date.now();
  const child =
    start.interpreter === undefined
      ? spawnNodeWithRaisedLimit([...(start.nodeFlags ?? []), ...(start.script.endsWith('.ts') ? ['--import', 'tsx'] : []), start.script], start.environment)
      : spawnWithRaisedLimit(start.interpreter, [start.script], start.environment);
  let tail = '';
  let warnings = 0;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    warnings += countWarnings(chunk.toString());
  });
  child.stderr?.on('data', keep);
  const exited = exitOf(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${start.name} did not start within ${start.startTimeoutMs ?? 60_000} ms:\n${tail}`));
    }, start.startTimeoutMs ?? 60_000);
    const onData = () => {
      const match = BANNER.exec(tail);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${start.name} exited with ${code} before listening:\n${tail}`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${start.name} has no pid`);
  // printed before the server's own banner, so already in the tail
  const inspectorUrl = INSPECTOR_BANNER.exec(tail)?.[1];
  return {
    name: start.name,
    pid,
    port,
    wsBase: `ws://127.0.0.1:${port}`,
    httpBase: `http://127.0.0.1:${port}`,
    openFilesLimit: openFilesLimit(pid),
    spawnedAt,
    outputTail: () => tail,
    warnings: () => warnings,
    collectGarbage: inspectorUrl === undefined ? undefined : () => collectGarbage(inspectorUrl),
    javascriptBytes: inspectorUrl === undefined ? undefined : () => javascriptBytes(inspectorUrl),
    async stop(graceMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function countWarnings(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/"level":(\d+)/g)) if (Number(match[1]) >= 40) count += 1;
  return count;
}
