import { describe, expect, it } from 'vitest';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import { SPLITS, splitOf } from './splits.js';

describe('splitOf', () => {
  it('is deterministic and gives about 80/10/10 over families and seeds', () => {
    const counts = { train: 0, val: 0, test: 0 };
    let total = 0;
    for (const family of SCENARIO_FAMILIES) {
      for (let seed = 1_000_000; seed < 1_002_000; seed++) {
        const split = splitOf(family, seed);
        expect(splitOf(family, seed)).toBe(split);
        counts[split]++;
        total++;
      }
    }
    expect(counts.train / total).toBeCloseTo(0.8, 1);
    expect(counts.val / total).toBeCloseTo(0.1, 1);
    expect(counts.test / total).toBeCloseTo(0.1, 1);
  });

  it('depends on the family as well as the seed, and keeps known values', () => {
    const perFamily = SCENARIO_FAMILIES.map((f) =>
      Array.from({ length: 50 }, (_, i) => splitOf(f, i)).join(','),
    );
    expect(new Set(perFamily).size).toBe(SCENARIO_FAMILIES.length);
    const frozen = Array.from({ length: 8 }, (_, i) => splitOf('cut-in', 1_000_000 + i));
    expect(frozen.every((s) => SPLITS.includes(s))).toBe(true);
    expect(frozen).toMatchInlineSnapshot(`
      [
        "train",
        "train",
        "train",
        "test",
        "train",
        "train",
        "train",
        "train",
      ]
    `);
  });
});
