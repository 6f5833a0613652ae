// The files a step owns: every file under its output paths (files or folders, relative to the run folder), each
// with the sha256 of its bytes. Not which step owns what (runner.ts): listing, hashing and deleting only.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Relative path (with '/') -> sha256 hex of the file's bytes. */
export type FileHashes = Record<string, string>;

/** Every file under the run folder's `paths`, as run-relative paths with '/' separators, sorted. */
export function filesUnder(run: string, paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const full = join(run, path);
    if (!existsSync(full)) continue;
    if (!statSync(full).isDirectory()) {
      files.push(path);
      continue;
    }
    for (const e of readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) files.push(relative(run, join(e.parentPath, e.name)).split(sep).join('/'));
    }
  }
  return [...new Set(files)].sort();
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The hashes of the given run-relative files. */
export function hashFiles(run: string, files: readonly string[]): FileHashes {
  return Object.fromEntries(files.map((f) => [f, sha256File(join(run, f))]));
}

/** The first recorded file that is missing or whose bytes changed; undefined when all match. */
export function changedFile(run: string, recorded: FileHashes): string | undefined {
  return Object.keys(recorded).find((f) => {
    const full = join(run, f);
    return !existsSync(full) || sha256File(full) !== recorded[f];
  });
}

/** Deletes the given run-relative files. */
export function removeFiles(run: string, files: readonly string[]): void {
  for (const f of files) rmSync(join(run, f), { force: true });
}
