import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The checkout's root: children run there, so Viva finds its files (and a .env) as `npm start` would. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The open-files limit asked for in bench children; the hard limit is used when it is lower. */
export const WANTED_OPEN_FILES = 65_536;

// `exec` keeps the pid, so the pid of the child is the pid of node (RSS and CPU are read from it)
const RAISE_AND_EXEC = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;

/**
 * Starts `node <nodeArguments>` through bash with the open-files limit raised, so 10,000 sockets fit
 * even where the inherited soft limit is 1,024. Only the given environment is passed on (plus PATH and
 * HOME), so variables of the shell (REDIS_URL, say) never change what is measured.
 */
export function spawnNodeWithRaisedLimit(
  nodeArguments: string[],
  environment: Record<string, string>,
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
): ChildProcess {
  return spawnWithRaisedLimit(process.execPath, nodeArguments, environment, stdio);
}

/** The same for any program (the bench's Python peer): `file` is exec'd, so the child's pid is its pid. */
export function spawnWithRaisedLimit(
  file: string,
  args: string[],
  environment: Record<string, string>,
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
): ChildProcess {
  return spawn('bash', ['-c', RAISE_AND_EXEC, file, ...args], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      ...environment,
    },
    stdio,
  });
}
