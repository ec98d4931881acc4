import type { VivaClient } from './viva-client.js';

/**
 * Resolves once the client holds every durable message up to `seq` (a resume's replay has arrived), so
 * what the caller shows next comes after the replayed conversation. A replay that never completes must not
 * leave the user waiting: it resolves after `timeoutMs` regardless.
 * @param timeoutMs milliseconds @default 10000
 */
export function caughtUp(client: VivaClient, seq: number, timeoutMs = 10_000): Promise<void> {
  if (client.lastSeq >= seq) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = client.on('message', () => {
      if (client.lastSeq >= seq) done();
    });
    const timer = setTimeout(done, timeoutMs);
  });
}
