import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './raised-limit-spawn.js';
import { startServer, type ServerProcess } from './server-process.js';

/**
 * The bench's peer: bench/peers/original-design-peer.py, the design Viva replaces (FastAPI, Pydantic, an
 * in-memory dict of sessions, canned questions), run when a python3 with FastAPI and uvicorn is here.
 */

// Debian's packages live under /usr/bin/python3; a pyenv or venv python3 on PATH may lack them
const CANDIDATES = ['/usr/bin/python3', 'python3'];
const PEER_SCRIPT = join(REPO_ROOT, 'bench/peers/original-design-peer.py');

/** The first python3 that imports fastapi, uvicorn and websockets, or undefined (then the peer is skipped). */
export function findPeerPython(): string | undefined {
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate, ['-c', 'import fastapi, uvicorn, websockets, pydantic'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export const PEER_MISSING =
  'peer skipped: no python3 with fastapi, uvicorn and websockets (Debian: apt-get install python3-fastapi python3-uvicorn python3-websockets)';

export async function withPeer<T>(python: string, use: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServer({
    name: 'original design (FastAPI)',
    script: PEER_SCRIPT,
    interpreter: python,
    environment: { HOST: '127.0.0.1', PORT: '0' },
  });
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}
