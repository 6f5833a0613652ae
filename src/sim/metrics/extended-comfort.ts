// EC, extended comfort (NAVSIM v2 `two_frame_extended_comfort`): consecutive plans must agree on acceleration,
// jerk, yaw rate and yaw acceleration where they overlap in time. Not the absolute bounds (comfort.ts).

import type { EpisodeContext } from './context.js';
import { type Kinematics, kinematics, speedHeadingFromXy } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';
import { pathPositionAt, planCount, planPath, planStep } from './plans.js';

/** NAVSIM v2 thresholds on the RMS difference between two consecutive plans. */
export const EC_MAX_RMS = {
  accel: 0.7, // [m/s2] |acceleration|
  jerk: 0.5, // [m/s3] d|acceleration|/dt
  yawRate: 0.1, // [rad/s]
  yawAccel: 0.1, // [rad/s2]
} as const;

function profile(xy: Float64Array, m: number, spacing: number): Kinematics {
  const { speed, heading } = speedHeadingFromXy(xy, m, spacing);
  return kinematics(speed, heading, m, spacing);
}

function rms(a: Float64Array, b: Float64Array, m: number): number {
  let sum = 0;
  for (let t = 0; t < m; t++) sum += (a[t] - b[t]) ** 2;
  return Math.sqrt(sum / m);
}

/**
 * EC per state: at the state plan k (k >= 1) was made, 1 if plan k - 1 and plan k, both sampled at plan k's
 * times (from its start to the end of plan k - 1, plan k - 1 linearly interpolated in time; each path starts at
 * ego's position when it was made), differ by at most the EC_MAX_RMS root-mean-square in |acceleration|, jerk,
 * yaw rate and yaw acceleration; else 0. Invalid at other states, with fewer than 3 overlapping samples, and
 * everywhere without plans. Episode EC is the mean over plan pairs (NAVSIM averages its two-frame EC over frames).
 */
export function extendedComfortSeries(ctx: EpisodeContext): StepSeries {
  const series = passingSeries(ctx.n);
  series.valid.fill(0);
  const plans = ctx.log.plans;
  if (!plans) return series;
  const spacing = plans.spacing;
  let prev = planPath(ctx, plans, 0);
  for (let k = 1; k < planCount(ctx, plans); k++) {
    const cur = planPath(ctx, plans, k);
    const shift = (planStep(plans, k) - planStep(plans, k - 1)) * ctx.dt; // [s] between the two plans
    const m = Math.min(cur.length / 2, Math.floor((plans.horizon * spacing - shift) / spacing + 1e-9) + 1);
    if (m >= 3) {
      const old = new Float64Array(m * 2);
      for (let j = 0; j < m; j++) pathPositionAt(prev, spacing, shift + j * spacing, old, 2 * j);
      const a = profile(old, m, spacing);
      const b = profile(cur.subarray(0, m * 2), m, spacing);
      const ok =
        rms(a.accel, b.accel, m) <= EC_MAX_RMS.accel &&
        rms(a.jerk, b.jerk, m) <= EC_MAX_RMS.jerk &&
        rms(a.yawRate, b.yawRate, m) <= EC_MAX_RMS.yawRate &&
        rms(a.yawAccel, b.yawAccel, m) <= EC_MAX_RMS.yawAccel;
      const step = planStep(plans, k);
      series.values[step] = ok ? 1 : 0;
      series.valid[step] = 1;
    }
    prev = cur;
  }
  return series;
}
