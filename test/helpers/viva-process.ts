import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { temporaryDirectory } from './temporary-directory.js';

export interface VivaProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  wsUrl: string;
  adminToken: string;
  databasePath: string;
  /** What the server wrote to stderr so far (banner, fatal errors). */
  stderr(): string;
  /** SIGTERM and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts the server as a user does (`node` on src/main.ts, configured by environment variables) on a free
 * port, with a fresh SQLite file unless DATABASE_URL is given, and resolves once it is listening.
 */
export async function startViva(environment: Record<string, string> = {}): Promise<VivaProcess> {
  const databasePath = environment.DATABASE_URL ?? join(temporaryDirectory('viva-test-'), 'viva.db');
  const adminToken = environment.ADMIN_TOKEN ?? 'test-admin-token';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.VIVA_TEST_LOG_LEVEL ?? 'warn',
      SERVE_WEB_APP: 'false',
      ...environment,
      DATABASE_URL: databasePath,
      ADMIN_TOKEN: adminToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (process.env.VIVA_TEST_LOG_LEVEL) process.stdout.write(chunk);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    adminToken,
    databasePath,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
