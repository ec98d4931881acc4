import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/**
 * A fresh directory under the system's temp directory, removed when the test process exits. Not sooner:
 * restart tests start a second server on the first one's database.
 */
export function temporaryDirectory(prefix: string): string {
  if (created.length === 0) {
    process.once('exit', () => {
      for (const directory of created) rmSync(directory, { recursive: true, force: true });
    });
  }
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}
