// How well predicted sub-metrics agree with the plan scorer's: accuracy against the majority baseline, Spearman's
// rank correlation, and the regret of picking the best-predicted plan of a group against picking at random.
// Pure statistics over numbers; not the model nor where the numbers come from.

import { UsageError } from '../core/errors.js';

/** Ranks 1..n with ties given their mean rank (as scipy.stats.rankdata's 'average'). */
export function ranks(xs: readonly number[]): Float64Array {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const out = new Float64Array(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho of two equal-length series (Pearson over average ranks); null when either is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length) throw new UsageError(`spearman: ${a.length} values against ${b.length}`);
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (a.length + 1) / 2; // the mean of ranks 1..n, ties included
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (ra[i]! - mean) * (rb[i]! - mean);
    va += (ra[i]! - mean) ** 2;
    vb += (rb[i]! - mean) ** 2;
  }
  return va === 0 || vb === 0 ? null : cov / Math.sqrt(va * vb);
}

/** Share of predicted classes equal to the true ones. */
export function accuracy(predicted: readonly number[], truth: readonly number[]): number {
  if (predicted.length !== truth.length || truth.length === 0)
    throw new UsageError(`accuracy: ${predicted.length} predictions against ${truth.length} labels`);
  return predicted.reduce((n, p, i) => n + (p === truth[i] ? 1 : 0), 0) / truth.length;
}

/** The accuracy of always predicting the most common true class: what a head must beat. */
export function majorityAccuracy(truth: readonly number[]): number {
  if (truth.length === 0) throw new UsageError('majorityAccuracy: no labels');
  const counts = new Map<number, number>();
  for (const t of truth) counts.set(t, (counts.get(t) ?? 0) + 1);
  return Math.max(...counts.values()) / truth.length;
}

/** One group's candidate plans: the model's predicted scores and the scorer's true ones, in the same order. */
export interface ScoredGroup {
  readonly predicted: readonly number[];
  readonly actual: readonly number[];
}

export interface Regret {
  readonly model: number; // mean over groups of (best true score - true score of the best-predicted plan)
  readonly random: number; // the same for a uniformly random pick: best - mean
}

/** The regret of picking each group's best-predicted plan (first on ties) against a random pick. */
export function pickRegret(groups: readonly ScoredGroup[]): Regret {
  if (groups.length === 0) throw new UsageError('pickRegret: no groups');
  let model = 0;
  let random = 0;
  for (const { predicted, actual } of groups) {
    if (predicted.length !== actual.length || actual.length === 0)
      throw new UsageError(`pickRegret: ${predicted.length} predictions for ${actual.length} plans`);
    const best = Math.max(...actual);
    const picked = predicted.indexOf(Math.max(...predicted));
    model += best - actual[picked]!;
    random += best - actual.reduce((s, v) => s + v, 0) / actual.length;
  }
  return { model: model / groups.length, random: random / groups.length };
}
