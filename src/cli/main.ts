// The drivefm command-line entry point: one commander program, one file per command under src/cli/.
// Not where work happens: each command parses its flags and calls into the library. Errors end here, one line each.

import { Command } from 'commander';
import { DrivefmError } from '../core/errors.js';

const program = new Command()
  .name('drivefm')
  .description('A driving vision-language-action model, trained and improved in a simulated flywheel.')
  .showHelpAfterError();

// Commands register themselves here, one line each.
(await import('./data.js')).registerDataCommand(program);
(await import('./sim.js')).registerSimCommand(program);
(await import('./eval.js')).registerEvalCommand(program);
(await import('./run.js')).registerRunCommand(program);
(await import('./report.js')).registerReportCommand(program);
(await import('./train.js')).registerTrainCommand(program);

const EXIT_INPUT = 2; // bad flags, names, files or paths: the user can fix them
const EXIT_INTERNAL = 1; // a bug or a crash of a dependency
const DEBUG = process.env.DRIVEFM_DEBUG === '1'; // print the stack of every error

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

/** Prints one line for `error` (its stack too with DRIVEFM_DEBUG=1) and exits: 2 for input problems, 1 else. */
function fail(error: unknown): never {
  const system = systemErrorIn(error);
  const [line, code] =
    error instanceof DrivefmError
      ? [error.message, EXIT_INPUT]
      : system
        ? [describeSystemError(system), EXIT_INPUT]
        : [
            `internal error: ${String(error instanceof Error ? error.message : error).split('\n')[0]}` +
              (DEBUG ? '' : ' (DRIVEFM_DEBUG=1 prints the stack)'),
            EXIT_INTERNAL,
          ];
  process.stderr.write(`drivefm: ${line}\n`);
  if (DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(code);
}

// Errors thrown outside the awaited command (stream 'error' events, timers) end the same way.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}
