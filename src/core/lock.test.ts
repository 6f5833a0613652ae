import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunFolder, RunFolderBusyError } from './lock.js';

const folder = () => join(mkdtempSync(join(tmpdir(), 'drivefm-lock-')), 'run');

/** A pid that is certainly gone: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('lockRunFolder', () => {
  it('refuses a folder held by another live process, naming it and its pid', () => {
    const run = folder();
    const parent = process.ppid; // alive while this test runs
    lockRunFolder(run, 'x').release();
    writeFileSync(join(run, LOCK_FILE), `${JSON.stringify({ pid: parent, command: 'drivefm run' })}\n`);
    expect(() => lockRunFolder(run, 'drivefm data generate')).toThrow(RunFolderBusyError);
    expect(() => lockRunFolder(run, 'drivefm data generate')).toThrow(
      new RegExp(`in use by drivefm run \\(pid ${parent}\\)`),
    );
    expect(JSON.parse(readFileSync(join(run, LOCK_FILE), 'utf8')).pid).toBe(parent); // left alone
  });

  it('takes over the lock of a dead process and says so', () => {
    const run = folder();
    const dead = deadPid();
    lockRunFolder(run, 'x').release();
    writeFileSync(join(run, LOCK_FILE), `${JSON.stringify({ pid: dead, command: 'drivefm run' })}\n`);
    const said: string[] = [];
    const lock = lockRunFolder(run, 'drivefm run', (line) => void said.push(line));
    expect(said[0]).toMatch(new RegExp(`taking over .*pid ${dead}\\), which is gone`));
    expect(JSON.parse(readFileSync(join(run, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(run, LOCK_FILE))).toBe(false);
  });

  it('lets the holder take it again (run -> generate) and removes it with the outermost release', () => {
    const run = folder();
    const outer = lockRunFolder(run, 'drivefm run');
    const inner = lockRunFolder(run, 'drivefm data generate');
    inner.release();
    expect(existsSync(join(run, LOCK_FILE))).toBe(true);
    outer.release();
    outer.release();
    expect(existsSync(join(run, LOCK_FILE))).toBe(false);
  });
});
