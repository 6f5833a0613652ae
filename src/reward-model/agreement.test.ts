import { describe, expect, it } from 'vitest';
import { accuracy, majorityAccuracy, pickRegret, ranks, spearman } from './agreement.js';
import { HEAD_KINDS, headWidth, impliedEpdms, levelIndex } from './heads.js';

describe('agreement statistics', () => {
  it('ranks ties at their mean rank', () => {
    expect([...ranks([5, 6, 7, 8, 7])]).toEqual([1, 2, 3.5, 5, 3.5]);
  });

  it("matches Spearman's rho by hand (scipy.stats.spearmanr gives 0.8207826816681233)", () => {
    // ranks (1..5) and (1, 2, 3.5, 5, 3.5): cov 8, variances 10 and 9.5 -> 8 / sqrt(95)
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull(); // a constant series has no rank order
    expect(() => spearman([1], [1, 2])).toThrow(/1 values against 2/);
  });

  it('compares accuracy with the majority baseline', () => {
    const truth = [1, 1, 1, 0];
    expect(majorityAccuracy(truth)).toBe(0.75);
    expect(accuracy([1, 1, 0, 0], truth)).toBe(0.75);
    expect(accuracy([1, 1, 1, 0], truth)).toBe(1);
  });

  it('scores a pick by its regret: zero for the best plan, the mean gap for a random pick', () => {
    const perfect = pickRegret([{ predicted: [0.1, 0.9, 0.5], actual: [0.2, 1, 0.6] }]);
    expect(perfect.model).toBe(0);
    expect(perfect.random).toBeCloseTo(1 - 0.6, 12);
    const wrong = pickRegret([{ predicted: [0.9, 0.1], actual: [0, 1] }]);
    expect(wrong).toEqual({ model: 1, random: 0.5 });
  });
});

describe('reward-model heads', () => {
  it('has one head per sub-metric: levels for NC and DDC, regression for EP, logits for the rest', () => {
    expect(Object.keys(HEAD_KINDS).sort()).toEqual([
      'c',
      'dac',
      'ddc',
      'ec',
      'ep',
      'hc',
      'lk',
      'nc',
      'tlc',
      'ttc',
    ]);
    expect(headWidth(HEAD_KINDS.nc)).toBe(3);
    expect(headWidth(HEAD_KINDS.ep)).toBe(1);
    expect(headWidth(HEAD_KINDS.dac)).toBe(1);
    expect([0, 0.5, 1, 0.4].map(levelIndex)).toEqual([0, 1, 2, 1]);
  });

  it('implies EPDMS from predicted values: 1 when all pass, the weighted sum otherwise', () => {
    const pass = { nc: 1, dac: 1, ddc: 1, tlc: 1, ep: 1, ttc: 1, lk: 1, c: 1, hc: 1, ec: 1 };
    expect(impliedEpdms(pass)).toBe(1);
    expect(impliedEpdms({ ...pass, ep: 0.5, lk: 0 })).toBeCloseTo((5 * 0.5 + 5 + 2 * 0 + 2 + 2) / 16, 12);
    expect(impliedEpdms({ ...pass, ddc: 0.5 })).toBe(0.5);
  });
});
