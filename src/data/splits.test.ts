import { describe, expect, it } from 'vitest';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import { checkSplitsFilled, plannedSplit, SPLITS, splitOf } from './splits.js';

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

describe('plannedSplit', () => {
  it('gives every ten clips 8 train, 1 val and 1 test, starting where the base seed says', () => {
    for (const seed of [0, 1, 7]) {
      const ten = Array.from({ length: 10 }, (_, i) => plannedSplit(i + 3, seed));
      expect(ten.filter((s) => s === 'train')).toHaveLength(8);
      expect(ten.filter((s) => s === 'val')).toHaveLength(1);
      expect(plannedSplit(13, seed)).toBe(plannedSplit(3, seed));
    }
    const starts = [0, 1, 2, 3, 4, 5].map((seed) =>
      Array.from({ length: 10 }, (_, i) => plannedSplit(i, seed)).join(),
    );
    expect(new Set(starts).size).toBeGreaterThan(1); // held-out clips fall in other families for other seeds
  });

  it('refuses a lake too small to fill every split, naming the split', () => {
    const val = Array.from({ length: 10 }, (_, i) => plannedSplit(i, 0)).indexOf('val');
    const test = Array.from({ length: 10 }, (_, i) => plannedSplit(i, 0)).indexOf('test');
    const few = Math.min(val, test) + 1; // one of the two held-out splits still empty
    expect(() => checkSplitsFilled(few, 0, 'data preset x')).toThrow(
      `data preset x: ${few} clips leave the ${val < test ? 'test' : 'val'} split empty; a lake needs 10 clips for every split`,
    );
    expect(() => checkSplitsFilled(10, 0, 'data preset x')).not.toThrow();
  });
});
