// One writer per run folder: a lock file holding the writer's pid, created exclusively; a lock whose pid is dead
// is taken over (and says so). Not a lock across machines (a pid means nothing on another host), nor a mutex
// between threads: nested takes by the same process share one lock. Two processes taking over the same stale lock
// at the same instant can both win; a pid reused by an unrelated process keeps a stale lock (remove the file).

import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DrivefmError } from './errors.js';

export const LOCK_FILE = 'drivefm.lock';

/** Another live process writes into the run folder. */
export class RunFolderBusyError extends DrivefmError {
  readonly folder: string;
  readonly pid: number;
  constructor(folder: string, pid: number, holder: string) {
    super(
      'E_BUSY',
      `${join(folder, LOCK_FILE)}: the run folder is in use by ${holder} (pid ${pid}); wait for it or use another --out`,
    );
    this.folder = folder;
    this.pid = pid;
  }
}

export interface RunLock {
  /** Removes the lock file (the outermost holder only); safe to call twice. */
  release(): void;
}

const held = new Map<string, number>(); // lock path -> nested takes by this process

/**
 * Takes the run folder's lock for `command` (e.g. 'drivefm run'), creating the folder. Throws RunFolderBusyError
 * when a live process holds it; a lock left by a dead process (killed) is taken over with a line on stderr.
 */
export function lockRunFolder(
  folder: string,
  command: string,
  say: (line: string) => void = (line) => process.stderr.write(line),
): RunLock {
  const path = join(folder, LOCK_FILE);
  const nested = held.get(path);
  if (nested !== undefined) {
    held.set(path, nested + 1);
    return releaser(path);
  }
  mkdirSync(folder, { recursive: true });
  for (;;) {
    // written whole under a name of this pid, then linked into place: the link fails when a lock exists, so at
    // most one process wins, and a reader never sees a half-written lock
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, command })}\n`);
    try {
      linkSync(tmp, path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(tmp, { force: true });
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder.pid)) throw new RunFolderBusyError(folder, holder.pid, holder.command);
    say(
      `${path}: taking over the lock of ${holder ? `${holder.command} (pid ${holder.pid}), which is gone` : 'an unreadable lock file'}\n`,
    );
    rmSync(path, { force: true });
  }
  held.set(path, 1);
  return releaser(path);
}

function releaser(path: string): RunLock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const count = (held.get(path) ?? 1) - 1;
      if (count > 0) {
        held.set(path, count);
        return;
      }
      held.delete(path);
      rmSync(path, { force: true });
    },
  };
}

/** The lock's holder, or undefined when the file is not a lock this module wrote. */
function readHolder(path: string): { pid: number; command: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; command?: unknown };
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return { pid: parsed.pid, command: String(parsed.command) };
    }
  } catch {
    // not JSON: nobody can hold it
  }
  return undefined;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}
