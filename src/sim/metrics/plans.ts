// Reading ego's logged plans (PlanLog) as timed position series for the plan-based comfort metrics (HC, EC).
// Not a metric itself; plans are (K, H, 2) world positions at `spacing` seconds after the step they were made.

import type { PlanLog } from '../types.js';
import type { EpisodeContext } from './context.js';

/** The state index plan k was made at (plans are logged every `every` steps from step 0). */
export function planStep(plans: PlanLog, k: number): number {
  return k * plans.every;
}

/** Number of plans made within the logged states. */
export function planCount(ctx: EpisodeContext, plans: PlanLog): number {
  const made = plans.xy.length / (plans.horizon * 2);
  return Math.min(made, Math.floor((ctx.n - 1) / plans.every) + 1);
}

/** Ego's logged centre at time `time` [s] from the episode start, linearly interpolated, clamped to the log. */
export function egoPositionAt(ctx: EpisodeContext, time: number, out: Float64Array, at: number): void {
  const f = Math.min(Math.max(time / ctx.dt, 0), ctx.n - 1);
  const i = Math.min(Math.floor(f), ctx.n - 2);
  const w = f - i;
  out[at] = i < 0 ? ctx.x[0] : ctx.x[i] * (1 - w) + ctx.x[i + 1] * w;
  out[at + 1] = i < 0 ? ctx.y[0] : ctx.y[i] * (1 - w) + ctx.y[i + 1] * w;
}

/**
 * Plan k as a path from ego's position when it was made: (H + 1, 2) positions at 0, spacing, ..., H spacing
 * seconds after planStep(k).
 */
export function planPath(ctx: EpisodeContext, plans: PlanLog, k: number): Float64Array {
  const h = plans.horizon;
  const path = new Float64Array((h + 1) * 2);
  egoPositionAt(ctx, planStep(plans, k) * ctx.dt, path, 0);
  path.set(plans.xy.subarray(k * h * 2, (k + 1) * h * 2), 2);
  return path;
}

/** Position on a path of points every `spacing` [s] at `time` [s] after its start, linearly interpolated. */
export function pathPositionAt(
  path: Float64Array,
  spacing: number,
  time: number,
  out: Float64Array,
  at: number,
): void {
  const last = path.length / 2 - 1;
  const f = Math.min(Math.max(time / spacing, 0), last);
  const i = Math.min(Math.floor(f), last - 1);
  const w = f - i;
  out[at] = path[2 * i] * (1 - w) + path[2 * i + 2] * w;
  out[at + 1] = path[2 * i + 1] * (1 - w) + path[2 * i + 3] * w;
}
