import { ConfigError, loadConfig } from './config.js';
import { createViva } from './composition-root.js';
import { installLastResort } from './observability/last-resort.js';

/**
 * The process: read the configuration, build the server, listen, and shut down gracefully on SIGTERM
 * or SIGINT. Human-facing lines (the address, a generated admin token) go to stderr; logs are JSON on
 * stdout.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const viva = await createViva(config);
  const { url } = await viva.listen();
  process.stderr.write(`Viva listening on ${url}\n`);
  if (config.ADMIN_TOKEN === undefined) {
    process.stderr.write(`Admin token (generated for this run; set ADMIN_TOKEN to choose one): ${viva.adminToken}\n`);
  }
  if (config.AUTH_MODE === 'open' && !isLoopback(config.HOST)) {
    viva.logger.warn(
      { host: config.HOST },
      'listening beyond loopback in open auth mode: anyone who reaches this port can create sessions; set AUTH_MODE=token',
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    viva.logger.info({ signal }, 'shutting down');
    viva
      .shutdown()
      .then(() => process.exit(process.exitCode ?? 0))
      .catch((error: unknown) => {
        viva.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  // an error that escapes every handler is logged and the server keeps serving; a burst of them shuts
  // it down gracefully for a supervisor to restart (see SECURITY.md)
  installLastResort(process, {
    logger: viva.logger,
    onBroken: () => {
      process.exitCode = 1;
      stop('too many escaped errors');
    },
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

main().catch((error: unknown) => {
  process.stderr.write(`Viva could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
