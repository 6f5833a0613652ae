import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function drivefm(...args: string[]) {
  return spawnSync(process.execPath, ['bin/drivefm.js', ...args], { encoding: 'utf8' });
}

describe('drivefm CLI', () => {
  it('sim draws a PNG and prints the scores as JSON', () => {
    const png = join(mkdtempSync(join(tmpdir(), 'drivefm-cli-')), 'cut-in.png');
    const run = drivefm('sim', '--family', 'cut-in', '--seed', '7', '--png', png, '--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.family).toBe('cut-in');
    expect(result.epdms).toBeGreaterThan(0.5);
    expect([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('names the flag or name at fault and exits with 2', () => {
    const family = drivefm('sim', '--family', 'cut-out');
    expect(family.status).toBe(2);
    expect(family.stderr).toMatch(/unknown scenario family 'cut-out'/);
    const seed = drivefm('sim', '--family', 'cut-in', '--seed', '-3');
    expect(seed.status).toBe(2);
    expect(seed.stderr).toMatch(/--seed: expected an integer >= 0, got '-3'/);
    const suite = drivefm('eval', '--suite', 'nope');
    expect(suite.status).toBe(2);
    expect(suite.stderr).toMatch(/unknown suite 'nope'/);
  });
});
