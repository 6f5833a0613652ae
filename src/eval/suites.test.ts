import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_BASE_SEED, onPolicySeed, scenarioSeed } from '../data/seeds.js';
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
    // The layout's seeds are a base plus non-negative multiples of the base seed, round and clip index, so the
    // smallest are at all zeros; the grid checks that they grow in every argument up to the largest base seed.
    const lowest = Math.min(scenarioSeed(0, 0, 1), onPolicySeed(0, 0, 0));
    for (const base of [0, 1, 7, MAX_BASE_SEED]) {
      for (const k of [0, 1, 95, 99_999]) {
        expect(scenarioSeed(base, k, 96)).toBeGreaterThanOrEqual(lowest);
        expect(onPolicySeed(base, k % 100, k)).toBeGreaterThanOrEqual(lowest);
      }
    }
    expect(Math.max(...seeds('longtail-wide'))).toBeLessThan(lowest);
    expect(lowest).toBe(1_000_000);
  });
});
