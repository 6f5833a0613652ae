// EP, ego progress (NAVSIM v1/v2 `ego_progress`): ego's route progress relative to the reference planner's.
// Not the route projection itself (route.ts, which also exports routeProgress for the expert's reference).

import type { EpisodeContext } from './context.js';
import type { MetricResult, StepSeries } from './metric.js';

/** Below this best progress the scene is "standing still" and EP is 1 (NAVSIM progress_distance_threshold). */
export const EP_MIN_PROGRESS = 5.0; // [m]

/** Route progress into each state [m]: s(t) - s(t - 1) along the route (route.ts); 0 at t = 0. */
export function progressSeries(ctx: EpisodeContext): StepSeries {
  const { n } = ctx;
  const values = new Float32Array(n);
  const valid = new Uint8Array(n);
  for (let t = 1; t < n; t++) {
    values[t] = ctx.route.s[t] - ctx.route.s[t - 1];
    valid[t] = 1;
  }
  return { values, valid };
}

/**
 * EP as NAVSIM v2's `_aggregate_pdm_scores`: ego progress p = max(0, the sum of the series: route arc length at
 * the end minus at the start); the normaliser is the best progress weighted by its multiplier product,
 * best = max(p x egoMultiplier, referenceProgress x referenceMultiplier) (NC x DAC x DDC x TLC each), so a
 * proposal that fails a multiplier metric does not raise the bar; EP = clip(p / best, 0, 1) when best > 5 m,
 * else 1. Invalid without a reference progress.
 */
export function reduceProgress(
  series: StepSeries,
  referenceProgress: number | undefined,
  egoMultiplier = 1,
  referenceMultiplier = 1,
): MetricResult {
  if (referenceProgress === undefined) return { value: 1, valid: false };
  let ego = 0;
  for (let t = 0; t < series.values.length; t++) if (series.valid[t] === 1) ego += series.values[t];
  ego = Math.max(0, ego);
  const best = Math.max(ego * egoMultiplier, referenceProgress * referenceMultiplier);
  return { value: best > EP_MIN_PROGRESS ? Math.min(1, ego / best) : 1, valid: true };
}
