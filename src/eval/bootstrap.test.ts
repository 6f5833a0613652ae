import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import {
  type BootstrapOptions,
  difference,
  halfWidth,
  meanOf,
  quantile,
  Resamples,
  validMeanOf,
} from './bootstrap.js';

const meanInterval = (values: number[], options: BootstrapOptions = {}) =>
  new Resamples(values.length, options).interval(meanOf(values));
const pairedMeanInterval = (a: number[], b: number[]) =>
  new Resamples(a.length).interval(difference(meanOf(a), meanOf(b)));

describe('percentile bootstrap', () => {
  it('gives a zero-width interval on constant data', () => {
    const i = meanInterval([0.7, 0.7, 0.7, 0.7, 0.7]);
    expect(i).toEqual({ estimate: 0.7, lo: 0.7, hi: 0.7 });
    expect(halfWidth(i)).toBe(0);
  });

  it('matches the hand-worked interval of [0, 0, 0, 1]', () => {
    // A resample's mean is k/4 with k ~ Binomial(4, 1/4): P(k <= 0) = 0.316, P(k <= 2) = 0.949, P(k <= 3) = 0.996,
    // so the 2.5% quantile is 0 and the 97.5% quantile 0.75.
    expect(meanInterval([0, 0, 0, 1])).toEqual({ estimate: 0.25, lo: 0, hi: 0.75 });
  });

  it('is near the normal interval 1.96 sd / sqrt(n) for a large sample', () => {
    const coin = Array.from({ length: 400 }, (_, i) => i % 2); // sd 0.5: half-width 1.96 x 0.5 / 20 = 0.049
    const i = meanInterval(coin);
    expect(i.estimate).toBe(0.5);
    expect(halfWidth(i)).toBeGreaterThan(0.044);
    expect(halfWidth(i)).toBeLessThan(0.054);
  });

  it('is deterministic for a seed and moves with another', () => {
    const values = [0.1, 0.9, 0.4, 0.8, 0.3, 1, 0.95, 0.2];
    expect(meanInterval(values, { seed: 3 })).toEqual(meanInterval(values, { seed: 3 }));
    expect(meanInterval(values, { seed: 3 })).not.toEqual(meanInterval(values, { seed: 4 }));
  });

  it('takes the mean over valid items only, and a fallback when none is', () => {
    const stat = validMeanOf([0.2, 5, 0.6], [true, false, true], 1);
    expect(stat(Int32Array.of(0, 1, 2))).toBeCloseTo(0.4, 12);
    expect(stat(Int32Array.of(1, 1))).toBe(1);
    expect(meanOf([1, 2, 4])(Int32Array.of(2, 2, 0))).toBe(3);
  });

  it('interpolates quantiles between order statistics', () => {
    const sorted = Float64Array.of(0, 1, 2, 3, 4);
    expect(quantile(sorted, 0.5)).toBe(2);
    expect(quantile(sorted, 0.9)).toBeCloseTo(3.6, 12);
    expect(quantile(sorted, 1)).toBe(4);
  });

  it('refuses an empty sample and no resamples', () => {
    expect(() => new Resamples(0)).toThrow(UsageError);
    expect(() => new Resamples(3, { resamples: 0 })).toThrow(/at least one resample/);
  });
});

describe('paired bootstrap', () => {
  const a = [0.91, 0.42, 0.77, 0.63, 0.98, 0.55, 0.3, 0.86, 0.71, 0.5];

  it('contains 0, with zero width, for identical drivers', () => {
    expect(pairedMeanInterval(a, a)).toEqual({ estimate: 0, lo: 0, hi: 0 });
  });

  it('excludes 0 for a clear shift that the unpaired intervals cannot tell apart', () => {
    const b = a.map((x, i) => x + 0.05 + (i % 2 ? 0.01 : -0.01)); // every episode 0.04-0.06 better
    const d = pairedMeanInterval(a, b);
    expect(d.estimate).toBeCloseTo(0.05, 12);
    expect(d.lo).toBeGreaterThan(0.04);
    expect(d.hi).toBeLessThan(0.06);
    // each driver's own interval is wider than the shift: only pairing shows it
    expect(halfWidth(meanInterval(a))).toBeGreaterThan(0.05);
  });

  it('contains 0 for noise without a shift', () => {
    const b = a.map((x, i) => x + (i % 2 ? 0.05 : -0.05));
    const d = pairedMeanInterval(a, b);
    expect(d.lo).toBeLessThan(0);
    expect(d.hi).toBeGreaterThan(0);
  });
});
