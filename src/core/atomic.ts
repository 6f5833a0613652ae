// Atomic file writes: write a sibling temp file, fsync it, then rename over the target.
// A reader sees the old file or the new one, never half of one. Not a lock: concurrent writers race.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The temp-file suffix; anything ending with it is debris from a killed writer and safe to delete. */
export const TEMP_SUFFIX = '.tmp';

export function tempPathFor(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

/** Writes `data` (one buffer or several, concatenated) to `path` atomically, creating parent folders. */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string | readonly (Uint8Array | string)[],
): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const parts = Array.isArray(data) ? data : [data];
  const fd = openSync(tmp, 'w');
  try {
    try {
      for (const part of parts as readonly (Uint8Array | string)[]) {
        const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
        let offset = 0;
        while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path); // fails e.g. when `path` is a folder (EISDIR) or its folder is read-only
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
