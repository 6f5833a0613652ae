import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { parseDriver } from './compare.js';

describe('compare --a / --b', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drivefm-compare-'));

  it('reads the expert, or a folder with decoding settings over the defaults', () => {
    expect(parseDriver('expert', '--a')).toEqual({ kind: 'expert' });
    expect(parseDriver(`${dir},mode=think,seed=3`, '--b')).toEqual({
      kind: 'model',
      checkpoint: dir,
      mode: 'think',
      control: 'cautious',
      caution: 0.5,
      seed: 3,
    });
  });

  it('names the flag and the setting at fault', () => {
    expect(() => parseDriver('/no/such/folder', '--a')).toThrow(
      /^--a: no checkpoint folder '\/no\/such\/folder'$/,
    );
    expect(() => parseDriver(`${dir},mode=slow`, '--b')).toThrow(
      /^--b: mode: expected fast or think, got 'slow'$/,
    );
    expect(() => parseDriver(`${dir},caution=2`, '--a')).toThrow(
      /^--a: caution: expected a decimal number in \(0, 1\]/,
    );
    expect(() => parseDriver(`${dir},temperature=1`, '--a')).toThrow(UsageError);
  });

  it('prints zero differences with zero-width intervals for the expert against itself', () => {
    const suite = join(dir, 'two.json');
    const episodes = [
      { family: 'cut-in', seed: 3 },
      { family: 'lead-brake', seed: 2 },
    ];
    writeFileSync(suite, JSON.stringify({ name: 'two', version: 1, description: '', episodes }));
    const run = spawnSync(
      process.execPath,
      ['bin/drivefm.js', 'compare', '--a', 'expert', '--b', 'expert', '--suite', suite, '--json'],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.episodes).toBe(2);
    expect(out.difference.scores.epdms).toEqual({ difference: 0, lo: 0, hi: 0, half_width: 0 });
    expect(Object.keys(out.difference.scores)).toEqual([
      'epdms',
      'pdms',
      'nc',
      'dac',
      'ddc',
      'tlc',
      'ep',
      'ttc',
      'lk',
      'c',
      'hc',
      'ec',
    ]);
    expect(Object.keys(out.difference.families)).toEqual(['cut-in', 'lead-brake']);
    expect(out.difference.at_fault_collisions).toEqual({ a: 0, b: 0 });
    expect(out.a.epdms).toBeGreaterThan(0.9);
    expect(out.b.epdms).toBe(out.a.epdms);
  });
});
