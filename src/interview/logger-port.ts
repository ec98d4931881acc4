/**
 * What the domain needs from a logger: structured fields, then a message. pino's Logger satisfies it (the
 * composition root passes the process logger); src/interview never imports pino itself.
 */
export interface LoggerPort {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
