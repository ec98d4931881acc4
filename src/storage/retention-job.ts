import type { Logger } from 'pino';
import type { SessionStore } from '../interview/session-store.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Purges sessions not updated for `retentionDays` (RETENTION_DAYS), at start and then hourly. Returns a
 * function that stops it. A retention of 0 keeps everything.
 */
export function startRetentionJob(store: SessionStore, retentionDays: number, logger: Logger): () => void {
  if (retentionDays <= 0) return () => undefined;
  const purge = async () => {
    const cutoff = new Date(Date.now() - retentionDays * 24 * HOUR_MS);
    try {
      const purged = await store.purgeSessionsBefore(cutoff);
      if (purged > 0) logger.info({ purged, cutoff: cutoff.toISOString() }, 'retention: purged old sessions');
    } catch (error) {
      logger.warn({ err: error }, 'retention: purge failed; will try again');
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
