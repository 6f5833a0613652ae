import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { InputError, UnknownNameError } from '../core/errors.js';
import { reportError } from './errors.js';

/** An error shaped as Node's fs throws them. */
function systemError(code: string, syscall: string, path: string, dest?: string): Error {
  return Object.assign(new Error(`${code}: something, ${syscall} '${path}'`), {
    code,
    syscall,
    path,
    dest,
    errno: -1,
  });
}

describe('reportError', () => {
  it("drivefm's own errors are input problems, their message as it is", () => {
    expect(
      reportError(new InputError({ file: 'a.json', field: 'lr', message: 'expected a number' })),
    ).toEqual({
      kind: 'input',
      line: 'a.json: lr: expected a number',
    });
    expect(reportError(new UnknownNameError('data preset', 'huge', ['tiny'])).kind).toBe('input');
  });

  it('file-system errors: what failed, on which path, why', () => {
    const cases: [Error, string][] = [
      [
        systemError('EACCES', 'scandir', 'runs/x/lake'),
        'cannot list folder runs/x/lake: permission denied (EACCES)',
      ],
      [
        systemError('ENOSPC', 'write', 'runs/x/a.bin'),
        'cannot write runs/x/a.bin: no space left on the device (ENOSPC)',
      ],
      [
        systemError('EEXIST', 'mkdir', 'runs/x'),
        'cannot create folder runs/x: a file is in the way (EEXIST)',
      ],
      [
        systemError('EISDIR', 'rename', 'out.png.1a.tmp', 'out.png'),
        'cannot replace out.png: is a folder (EISDIR)',
      ],
      [
        systemError('ENOENT', 'open', 'ckpt/config.json'),
        'cannot open ckpt/config.json: no such file or folder (ENOENT)',
      ],
      [systemError('EXDEV', 'link', 'a'), 'link failed on a: exdev (EXDEV)'],
    ];
    for (const [error, line] of cases) expect(reportError(error)).toEqual({ kind: 'input', line });
  });

  it('finds a file-system error in the cause chain', () => {
    const wrapped = new Error('could not save', { cause: systemError('EROFS', 'open', '/ro/x') });
    expect(reportError(wrapped)).toEqual({
      kind: 'input',
      line: 'cannot open /ro/x: read-only file system (EROFS)',
    });
  });

  it("DuckDB's file errors are input problems naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-errors-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const error = await connection
      .run(`copy (select 1 as a) to '${dir}' (format parquet)`)
      .catch((e: unknown) => e);
    connection.closeSync();
    instance.closeSync();
    expect(reportError(error)).toEqual({ kind: 'input', line: `cannot open file "${dir}": Is a directory` });
    const damaged = new Error(
      'Invalid Input Error: Failed to read file "l/f.parquet": Snappy decompression failure',
    );
    expect(reportError(damaged)).toEqual({
      kind: 'input',
      line: 'failed to read file "l/f.parquet": Snappy decompression failure (`drivefm data verify <run>` reads every lake file)',
    });
  });

  it('anything else is internal: the first line of its message', () => {
    expect(reportError(new TypeError("Cannot read properties of undefined (reading 'x')\n  more"))).toEqual({
      kind: 'internal',
      line: "internal error: Cannot read properties of undefined (reading 'x')",
    });
    expect(reportError(new Error('Invalid Input Error: some other thing')).kind).toBe('internal');
    expect(reportError('a string').line).toBe('internal error: a string');
  });
});
