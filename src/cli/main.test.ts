import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function drivefm(args: readonly string[], options: { preload?: string; env?: Record<string, string> } = {}) {
  const node = options.preload ? ['--import', options.preload] : [];
  return spawnSync(process.execPath, [...node, 'bin/drivefm.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DRIVEFM_DEBUG: '', ...options.env },
  });
}

describe('drivefm top-level errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drivefm-main-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');

  it('an output path that is a folder: one line naming it, exit 2, no temp file left', () => {
    const target = join(dir, 'png-folder');
    mkdirSync(join(target, 'inside'), { recursive: true });
    const run = drivefm(['sim', '--family', 'cut-in', '--seed', '1', '--png', target]);
    expect(run.stderr).toBe(`drivefm: cannot replace ${target}: is a folder (EISDIR)\n`);
    expect(run.status).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a run folder that is a file: one line naming the file, exit 2', () => {
    const run = drivefm(['data', 'generate', '--preset', 'tiny', '--out', file, '--quiet']);
    expect(run.stderr).toBe(`drivefm: cannot create folder ${file}: a file is in the way (EEXIST)\n`);
    expect(run.status).toBe(2);
  });

  it('a file where a folder of the path should be: one line, exit 2', () => {
    const png = join(file, 'sub', 'x.png');
    const run = drivefm(['sim', '--family', 'cut-in', '--seed', '1', '--png', png]);
    expect(run.stderr).toMatch(
      new RegExp(
        `^drivefm: cannot create folder ${file}.*: (not a folder|a file is in the way) \\(E[A-Z]+\\)\\n$`,
      ),
    );
    expect(run.status).toBe(2);
  });

  it("commander's usage errors (an unknown flag, a missing required one) exit 2, like ours", () => {
    const unknown = drivefm(['sim', '--family', 'cut-in', '--bogus']);
    expect(unknown.stderr).toMatch(/^error: unknown option '--bogus'\n/);
    expect(unknown.status).toBe(2);
    const missing = drivefm(['sim']);
    expect(missing.stderr).toMatch(/^error: required option '--family <name>' not specified\n/);
    expect(missing.status).toBe(2);
    const noRun = drivefm(['data', 'stats']);
    expect(noRun.stderr).toBe('drivefm: --run: required, the run folder (e.g. --run runs/NAME)\n');
    expect(noRun.status).toBe(2);
    const help = drivefm(['data', 'stats', '--help']);
    expect(help.stdout).toMatch(/--run <dir> +run folder, e.g. runs\/NAME \(required\)/);
    expect(help.status).toBe(0);
  });

  it('an internal error: a short message and exit 1; DRIVEFM_DEBUG=1 adds the stack', () => {
    const preload = join(dir, 'broken-stdout.mjs');
    writeFileSync(
      preload,
      "process.stdout.write = () => { throw new Error('stdout on fire\\nsecond line'); };\n",
    );
    const args = ['sim', '--family', 'cut-in', '--seed', '1', '--json'];
    const run = drivefm(args, { preload });
    expect(run.stderr).toBe('drivefm: internal error: stdout on fire (DRIVEFM_DEBUG=1 prints the stack)\n');
    expect(run.status).toBe(1);
    const debug = drivefm(args, { preload, env: { DRIVEFM_DEBUG: '1' } });
    expect(debug.stderr).toMatch(
      /^drivefm: internal error: stdout on fire\nError: stdout on fire\nsecond line\n\s+at /,
    );
    expect(debug.status).toBe(1);
  });
});
