import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPolicySeeds } from '../fleet/on-policy.js';
import { MAX_SCENARIO_SEED, type SCENARIO_FAMILIES } from '../sim/types.js';
import { fakeSimDeps } from './fixtures.js';
import { generateLake, SETTINGS_FILE } from './generate.js';
import { checkBaseSeed, scenarioSeed } from './seeds.js';
import { splitOf } from './splits.js';

describe('scenario seed layout', () => {
  it('takes any base seed and keeps every seed inside the simulator range, above the suites', () => {
    // base seeds above 428 were refused; base seed 1 once gave 10,002,000,000 at its first on-policy round
    for (const baseSeed of [0, 1, 429, 123_456_789, Number.MAX_SAFE_INTEGER]) {
      for (const purpose of ['expert', 'perturbed', 'on-policy'] as const) {
        const seed = scenarioSeed('cut-in', 'train', { baseSeed, purpose, round: 7, index: 3 });
        expect(seed).toBeLessThanOrEqual(Math.min(MAX_SCENARIO_SEED, 2 ** 31 - 1)); // the lake column is INTEGER
        expect(seed).toBeGreaterThanOrEqual(1_000_000);
      }
    }
    for (const bad of [-1, 1.5])
      expect(() => checkBaseSeed(bad, '--seed')).toThrow(/--seed: expected an integer >= 0/);
  });

  it('draws a seed of the asked split, distinct per base seed, purpose, round and index', () => {
    const seeds = new Set<number>();
    for (const baseSeed of [0, 1])
      for (const purpose of ['expert', 'perturbed', 'on-policy'] as const)
        for (const round of [0, 1])
          for (let index = 0; index < 20; index++) {
            const split = (['train', 'val', 'test'] as const)[index % 3]!;
            const seed = scenarioSeed('jaywalker', split, { baseSeed, purpose, round, index });
            expect(splitOf('jaywalker', seed)).toBe(split);
            seeds.add(seed);
          }
    expect(seeds.size).toBe(2 * 3 * 2 * 20);
    expect(
      scenarioSeed('cut-in', 'train', { baseSeed: 0, purpose: 'expert', round: 0, index: 0 }),
    ).toMatchInlineSnapshot(`1222198960`);
  });

  it('gives on-policy rounds training scenarios of their own', () => {
    const first = onPolicySeeds('jaywalker', 0, 1, 5);
    const second = onPolicySeeds('jaywalker', 1, 1, 5);
    expect(first.every((s) => splitOf('jaywalker', s) === 'train')).toBe(true);
    expect(first.filter((s) => second.includes(s))).toEqual([]);
  });

  it('fills every split of the tiny lake for every base seed (61 of 0-428 had no val clip)', async () => {
    for (const seed of [0, 1, 2, 5, 429]) {
      const out = join(mkdtempSync(join(tmpdir(), 'drivefm-seeds-')), 'run');
      const written: { family: string; seed: number }[] = [];
      await generateLake(
        { preset: 'tiny', out, seed, quiet: true },
        {
          ...fakeSimDeps(),
          openLake: async () => ({
            hasClip: async () => false,
            writeClip: async (clip) => void written.push(clip),
            close: async () => {},
          }),
        },
      );
      const splits = written.map((c) => splitOf(c.family as (typeof SCENARIO_FAMILIES)[number], c.seed));
      const count = (split: string) => splits.filter((s) => s === split).length;
      expect(splits).toHaveLength(18);
      expect([count('val'), count('test')]).toContainEqual(2); // 18 clips: 1 or 2 of each held-out split
      for (const split of ['val', 'test']) expect([1, 2]).toContain(count(split));
      expect(count('train')).toBe(18 - count('val') - count('test'));
      expect(existsSync(join(out, SETTINGS_FILE))).toBe(true);
    }
  });
});
