// The percentile bootstrap: seeded resamples of n items (episodes) and the 95% interval of any statistic of them,
// for one sample or paired samples. Pure numbers; not what the items are (intervals.ts reads episode scores).

import { UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

export const DEFAULT_RESAMPLES = 2000; // B: from seed to seed an end moves by ~3% of the half-width (1 sd)
export const DEFAULT_BOOTSTRAP_SEED = 0; // fixed, so the same scores give the same interval
export const CONFIDENCE = 0.95; // the interval's nominal coverage

export interface BootstrapOptions {
  readonly resamples?: number; // B, default DEFAULT_RESAMPLES
  readonly seed?: number; // default DEFAULT_BOOTSTRAP_SEED
}

/** A statistic's value on the whole sample and the percentile interval of its bootstrap distribution. */
export interface Interval {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
}

/** A statistic of the items at `indices` (repeats allowed): a mean, a difference of means, ... */
export type Statistic = (indices: Int32Array) => number;

/** Half the interval's width: the "+-" a reader quotes. */
export function halfWidth(interval: Interval): number {
  return (interval.hi - interval.lo) / 2;
}

/** The same B resamples of n items (each n indices drawn with replacement) for every statistic asked of them. */
export class Resamples {
  readonly count: number;
  private readonly all: Int32Array; // (n,) 0..n-1: the sample itself
  private readonly draws: Int32Array[]; // (B,) of (n,)

  constructor(
    readonly n: number,
    options: BootstrapOptions = {},
  ) {
    const resamples = options.resamples ?? DEFAULT_RESAMPLES;
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`bootstrap: expected at least one item, got ${n}`);
    if (!Number.isInteger(resamples) || resamples < 1) {
      throw new UsageError(`bootstrap: expected at least one resample, got ${resamples}`);
    }
    this.count = resamples;
    const rng = new Rng(options.seed ?? DEFAULT_BOOTSTRAP_SEED);
    this.all = Int32Array.from({ length: n }, (_, i) => i);
    this.draws = Array.from({ length: resamples }, () => Int32Array.from({ length: n }, () => rng.int(n)));
  }

  /** The statistic on the sample and its CONFIDENCE percentile interval over the resamples. */
  interval(statistic: Statistic): Interval {
    const values = Float64Array.from(this.draws, statistic).sort();
    const tail = (1 - CONFIDENCE) / 2;
    return { estimate: statistic(this.all), lo: quantile(values, tail), hi: quantile(values, 1 - tail) };
  }
}

/** The p-quantile of ascending `sorted`, interpolating linearly between order statistics (R's type 7). */
export function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (h - below) * (sorted[above]! - sorted[below]!);
}

/** The mean of `values` over the indices. */
export function meanOf(values: ArrayLike<number>): Statistic {
  return (indices) => {
    let sum = 0;
    for (const i of indices) sum += values[i]!;
    return sum / indices.length;
  };
}

/** The mean over the indices where `valid` holds; `empty` when it holds at none. */
export function validMeanOf(values: ArrayLike<number>, valid: ArrayLike<boolean>, empty: number): Statistic {
  return (indices) => {
    let sum = 0;
    let count = 0;
    for (const i of indices) {
      if (!valid[i]) continue;
      sum += values[i]!;
      count++;
    }
    return count > 0 ? sum / count : empty;
  };
}

/** The paired difference `b - a` of a statistic on two samples of the same items, resampled together. */
export function difference(a: Statistic, b: Statistic): Statistic {
  return (indices) => b(indices) - a(indices);
}
