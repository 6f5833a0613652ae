// C, comfort (NAVSIM v1 `ego_is_comfortable` in pdm_comfort_metrics.py, after nuPlan's six comfort metrics):
// bounds on ego's accelerations, jerks and yaw derivatives along the executed motion. HC and EC use plans.

import type { EpisodeContext } from './context.js';
import { type Kinematics, kinematics } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';

/** nuPlan / NAVSIM comfort bounds (pdm_comfort_metrics.py); a value must lie strictly inside. */
export const COMFORT_BOUNDS = {
  minLonAccel: -4.05, // [m/s2]
  maxLonAccel: 2.4, // [m/s2]
  maxAbsLatAccel: 4.89, // [m/s2]
  maxAbsJerk: 8.37, // [m/s3]
  maxAbsLonJerk: 4.13, // [m/s3]
  maxAbsYawAccel: 1.93, // [rad/s2]
  maxAbsYawRate: 0.95, // [rad/s]
} as const;

/** Whether sample t of a motion profile lies inside all six bounds. */
export function comfortableAt(k: Kinematics, t: number): boolean {
  const b = COMFORT_BOUNDS;
  return (
    k.lonAccel[t] > b.minLonAccel &&
    k.lonAccel[t] < b.maxLonAccel &&
    Math.abs(k.latAccel[t]) < b.maxAbsLatAccel &&
    Math.abs(k.jerk[t]) < b.maxAbsJerk &&
    Math.abs(k.lonJerk[t]) < b.maxAbsLonJerk &&
    Math.abs(k.yawAccel[t]) < b.maxAbsYawAccel &&
    Math.abs(k.yawRate[t]) < b.maxAbsYawRate
  );
}

/**
 * C per state: 1 where ego's executed motion is inside all six bounds. The signals come from the logged motion
 * states (acceleration, yaw rate, heading, speed at 0.1 s) with NAVSIM's filters (kinematics.ts), over the whole
 * episode rather than NAVSIM's 4 s proposal. Episode C is the minimum (comfortable only if every sample is).
 * Invalid for fewer than 3 states.
 */
export function comfortSeries(ctx: EpisodeContext): StepSeries {
  const { n } = ctx;
  const series = passingSeries(n);
  if (n < 3) {
    series.valid.fill(0);
    return series;
  }
  const k = kinematics(ctx, ctx.dt);
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    series.values[t] = comfortableAt(k, t) ? 1 : 0;
  }
  return series;
}
