import { join } from 'node:path';
import { createViva, type Viva, type VivaOverrides } from '../../src/composition-root.js';
import { loadConfig } from '../../src/config.js';
import { temporaryDirectory } from './temporary-directory.js';

export interface RunningViva {
  viva: Viva;
  port: number;
  baseUrl: string;
  wsUrl: string;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * Starts the real server inside the test process (real sockets, a real SQLite file), for tests that need
 * to put a provider of their own in, such as a slow interviewer.
 */
export async function startInProcess(
  environment: Record<string, string> = {},
  overrides: VivaOverrides = {},
): Promise<RunningViva> {
  const directory = temporaryDirectory('viva-inproc-');
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.VIVA_TEST_LOG_LEVEL ?? 'silent',
      ADMIN_TOKEN: 'test-admin-token',
      SERVE_WEB_APP: 'false',
      DATABASE_URL: join(directory, 'viva.db'),
      ...environment,
    },
    join(directory, 'no.env'),
  );
  const viva = await createViva(config, overrides);
  const { port } = await viva.listen();
  return {
    viva,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    adminToken: 'test-admin-token',
    stop: () => viva.shutdown(),
  };
}
