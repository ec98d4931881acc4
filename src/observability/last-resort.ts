import type { Logger } from 'pino';

export interface LastResortOptions {
  logger: Logger;
  /** More than this many escaped errors within `windowMs` and the process is taken to be broken. */
  maxErrors?: number;
  windowMs?: number;
  /** Called once when the process is taken to be broken: shut down so a supervisor restarts it. */
  onBroken: () => void;
}

type ProcessEvents = Pick<NodeJS.Process, 'on'>;

/**
 * The process-level last resort for an exception or rejection that escaped every handler (none should:
 * socket and request handlers catch their own). The choice made here: log it and keep serving. Exiting
 * would end every open interview for one client's bad input, and what escapes a handler belongs to that
 * one connection or request, whose own state is all it can have damaged; sessions live in the store.
 * But a burst of escapes means something shared is broken, and then the process shuts down gracefully
 * (`onBroken`) for a supervisor to restart it.
 */
export function installLastResort(target: ProcessEvents, options: LastResortOptions): void {
  const maxErrors = options.maxErrors ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  let recent: number[] = [];
  let broken = false;
  const escaped = (kind: string) => (error: unknown) => {
    const now = Date.now();
    recent = [...recent.filter((at) => now - at < windowMs), now];
    options.logger.error({ err: error, kind }, 'an error escaped every handler; still serving');
    if (recent.length > maxErrors && !broken) {
      broken = true;
      options.logger.fatal({ errors: recent.length, window_ms: windowMs }, 'too many escaped errors; shutting down for a restart');
      options.onBroken();
    }
  };
  target.on('uncaughtException', escaped('uncaughtException'));
  target.on('unhandledRejection', escaped('unhandledRejection'));
}
