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
  it('gives every ten clips 8 train, 1 val and 1 test, the held-out ones first', () => {
    const ten = Array.from({ length: 10 }, (_, i) => plannedSplit(i));
    expect(ten.slice(0, 3)).toEqual(['train', 'val', 'test']);
    expect(ten.filter((s) => s === 'train')).toHaveLength(8);
    expect(plannedSplit(11)).toBe('val');
  });

  it('refuses a lake too small to fill every split, naming the split', () => {
    expect(() => checkSplitsFilled(2, 'data preset x')).toThrow(
      'data preset x: 2 clips leave the test split empty; a lake needs at least 3',
    );
    expect(() => checkSplitsFilled(3, 'data preset x')).not.toThrow();
  });
});
