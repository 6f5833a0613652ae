import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_LAKE_SEED, type SeedPurpose, scenarioSeed } from '../data/seeds.js';
import { SPLITS } from '../data/splits.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';

const families = (name: string) => [...new Set(loadSuite(name).episodes.map((e) => e.family))];
const seeds = (name: string) => new Set(loadSuite(name).episodes.map((e) => e.seed));

describe('the longtail-wide suite', () => {
  const wide = loadSuite('longtail-wide');

  it("holds longtail's seven rare families with twenty distinct seeds each", () => {
    expect(families('longtail-wide')).toEqual(families('longtail'));
    expect(families('longtail')).toHaveLength(7);
    expect(wide.episodes).toHaveLength(7 * 20);
    for (const family of families('longtail')) {
      const own = wide.episodes.filter((e) => e.family === family).map((e) => e.seed);
      expect(new Set(own).size).toBe(20);
    }
  });

  it('shares no seed with any other suite in configs/suites', () => {
    const files = readdirSync(new URL('../../configs/suites/', import.meta.url)).map((f) =>
      f.replace(/\.json$/, ''),
    );
    expect([...files].sort()).toEqual([...SUITE_NAMES].sort()); // every suite file is a named suite
    for (const other of SUITE_NAMES.filter((n) => n !== 'longtail-wide')) {
      expect(
        [...seeds('longtail-wide')].filter((s) => seeds(other).has(s)),
        other,
      ).toEqual([]);
    }
  });

  it("lies below every seed of the lake's layout", () => {
    // The layout hashes into [MIN_LAKE_SEED, 2^31 - 1]; a sample over base seeds, purposes, rounds, indices and
    // splits stays there, and every evaluation suite lies below it.
    const purposes: SeedPurpose[] = ['expert', 'perturbed', 'on-policy'];
    for (const baseSeed of [0, 1, 7, 429, 2 ** 40]) {
      for (const purpose of purposes) {
        for (const index of [0, 1, 95, 99_999]) {
          for (const split of SPLITS) {
            const seed = scenarioSeed('jaywalker', split, { baseSeed, purpose, round: index % 3, index });
            expect(seed).toBeGreaterThanOrEqual(MIN_LAKE_SEED);
          }
        }
      }
    }
    for (const name of SUITE_NAMES) expect(Math.max(...seeds(name)), name).toBeLessThan(MIN_LAKE_SEED);
  });
});
