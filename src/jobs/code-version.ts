// The code version of this checkout: sha256 over drivefm's source files (src/**/*.ts but tests, and package.json),
// so a job's key changes whenever the simulator, metrics or models might compute something else. Not a release
// version: any edit to any source file changes it, which only costs recomputing outputs that might have changed.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)); // the package root: src/jobs/ -> ../..

/** The source files that can change what a job computes, relative to the package root, sorted. */
export function sourceFiles(root = ROOT): string[] {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => relative(root, join(root, 'src', f)));
  return [...files, 'package.json'].sort();
}

/** 16 hex digits naming the code under `root`: its source files' paths and bytes. */
export function hashSources(root: string): string {
  const digest = createHash('sha256');
  for (const file of sourceFiles(root)) digest.update(`${file}\n`).update(readFileSync(join(root, file)));
  return digest.digest('hex').slice(0, 16);
}

let memo: string | undefined;

/** This checkout's code version, computed once per process (about 1 MB read, ~25 ms). */
export function codeVersion(): string {
  memo ??= hashSources(ROOT);
  return memo;
}
