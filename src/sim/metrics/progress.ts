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
 * EP = max(0, ego progress) / max(ego progress, reference progress), and 1 when that maximum is under 5 m.
 * Ego progress is the sum of the series (the route arc length at the end minus at the start, as NAVSIM projects
 * start and end). Invalid without a reference progress.
 */
export function reduceProgress(series: StepSeries, referenceProgress: number | undefined): MetricResult {
  if (referenceProgress === undefined) return { value: 1, valid: false };
  let ego = 0;
  for (let t = 0; t < series.values.length; t++) if (series.valid[t] === 1) ego += series.values[t];
  ego = Math.max(0, ego);
  const best = Math.max(ego, referenceProgress);
  return { value: best < EP_MIN_PROGRESS ? 1 : ego / best, valid: true };
}
