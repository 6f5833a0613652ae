// How the CLI reports an error that reached its top level: one line, and whether it is the user's input (exit 2:
// a flag, a name, a file, a path) or internal (exit 1). Not the error classes (core/errors.ts) nor the printing (main.ts).

import { DrivefmError } from '../core/errors.js';

export type ErrorKind = 'input' | 'internal';

export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = { input: 2, internal: 1 };

export interface ErrorReport {
  readonly kind: ErrorKind;
  readonly line: string; // without the 'drivefm: ' prefix
}

/** A Node system error (fs, child processes): a code like ENOENT, the call, the path(s) it failed on. */
interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

function isSystemError(error: unknown): error is SystemError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EBUSY: 'busy',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  EISDIR: 'is a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'not a folder',
  ENOTEMPTY: 'folder not empty',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
};

const ACTIONS: Readonly<Record<string, string>> = {
  access: 'cannot access',
  copyfile: 'cannot copy',
  mkdir: 'cannot create folder',
  mkdtemp: 'cannot create folder',
  open: 'cannot open',
  opendir: 'cannot list folder',
  read: 'cannot read',
  rename: 'cannot replace', // a rename is the last step of an atomic write: the target is what failed
  rm: 'cannot remove',
  rmdir: 'cannot remove folder',
  scandir: 'cannot list folder',
  stat: 'cannot read',
  lstat: 'cannot read',
  unlink: 'cannot remove',
  write: 'cannot write',
};

/** `<what> <path>: <reason> (<code>)`, e.g. `cannot create folder runs/x: already exists (EEXIST)`. */
function describeSystemError(error: SystemError): string {
  const call = error.syscall ?? 'file operation';
  const what = Object.hasOwn(ACTIONS, call) ? ACTIONS[call] : `${call} failed on`;
  const path = error.syscall === 'rename' && error.dest ? error.dest : error.path;
  const reason =
    call === 'mkdir' && error.code === 'EEXIST' // a recursive mkdir fails so only where a file is in the way
      ? 'a file is in the way'
      : Object.hasOwn(REASONS, error.code)
        ? REASONS[error.code]
        : error.code.toLowerCase();
  return `${what}${path ? ` ${path}` : ''}: ${reason} (${error.code})`;
}

/** The first system error in `error`'s cause chain, if any. */
function systemErrorIn(error: unknown): SystemError | undefined {
  for (
    let e = error, depth = 0;
    e !== undefined && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isSystemError(e)) return e;
  }
  return undefined;
}

/**
 * DuckDB's node API throws plain Errors; only the message's class prefix tells a file problem from a bug.
 * A lake file DuckDB cannot read names itself in the message; `data verify` then checks every file.
 */
const DUCKDB_FILE_ERRORS = [
  { prefix: 'IO Error: ', detail: '', hint: '' },
  {
    prefix: 'Invalid Input Error: ',
    detail: 'Failed to read file ',
    hint: ' (`drivefm data verify <run>` reads every lake file)',
  },
] as const;

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

/** The one line and kind of `error`: drivefm's own errors and file-system errors are input problems. */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof DrivefmError) return { kind: 'input', line: error.message };
  const system = systemErrorIn(error);
  if (system) return { kind: 'input', line: describeSystemError(system) };
  const line = firstLine(error);
  const duck = DUCKDB_FILE_ERRORS.find((d) => line.startsWith(d.prefix + d.detail));
  if (duck) {
    const rest = line.slice(duck.prefix.length); // e.g. 'Cannot open file "runs/x/a.parquet": Is a directory'
    return { kind: 'input', line: `${rest.charAt(0).toLowerCase()}${rest.slice(1)}${duck.hint}` };
  }
  return { kind: 'internal', line: `internal error: ${line}` };
}
