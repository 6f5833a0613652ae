// Maps a request path to a file inside one root folder, or null: no '..', no encoded traversal, no absolute path,
// no symlink that leads out of the root. Not the HTTP server (server.ts); only the decision of what may be read.

import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The real path of the file `requestPath` (URL-encoded, '/'-separated, relative to `root`) names, or null. */
export function safeFile(root: string, requestPath: string): string | null {
  const segments = requestPath.split('/').filter((s) => s !== '');
  const decoded: string[] = [];
  for (const s of segments) {
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      return null; // malformed escape
    }
    if (d === '.' || d === '..' || d.includes('/') || d.includes('\\') || d.includes('\0')) return null;
    decoded.push(d);
  }
  if (decoded.length === 0) return null;
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(join(realRoot, ...decoded)); // follows symlinks
    if (!real.startsWith(realRoot + sep)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null; // missing or unreadable
  }
}
