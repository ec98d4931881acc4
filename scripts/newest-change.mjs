// The build scripts' staleness check: when a file or folder last changed, folders by their newest file.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under `path`, milliseconds; 0 when it does not exist. */
export function newestChange(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}
