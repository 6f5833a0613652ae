// EC, extended comfort (NAVSIM v2 `ego_is_two_frame_extended_comfort` in pdm_comfort_metrics.py, paired by
// scene_aggregator.py): two consecutive plans as simulated must agree where they overlap. Not the bounds (C).

import type { EpisodeContext } from './context.js';
import { EC_FEATURES, type Kinematics, kinematics } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';
import type { TrackedPlan } from './plan-tracking.js';
import { planStep, trackedPlans } from './plans.js';

/** NAVSIM v2 thresholds on the RMS difference between two consecutive plans (a value may equal them). */
export const EC_MAX_RMS = {
  accel: 0.7, // [m/s2] |longitudinal acceleration| (kinematics.ts EC_FEATURES)
  jerk: 0.5, // [m/s3] its derivative
  yawRate: 0.1, // [rad/s]
  yawAccel: 0.1, // [rad/s2]
} as const;

/** The comfort signals of states [from, from + m) of a tracked plan, filtered on that stretch alone. */
function features(plan: TrackedPlan, from: number, m: number, dt: number): Kinematics {
  const part = (a: Float64Array) => a.subarray(from, from + m);
  const states = {
    n: m,
    heading: part(plan.heading),
    speed: part(plan.speed),
    accel: part(plan.accel),
    yawRate: part(plan.yawRate),
  };
  return kinematics(states, dt, EC_FEATURES);
}

function rms(a: Float64Array, b: Float64Array, m: number): number {
  let sum = 0;
  for (let t = 0; t < m; t++) sum += (a[t] - b[t]) ** 2;
  return Math.sqrt(sum / m);
}

/**
 * EC per state: at the state plan k (k >= 1) was made, 1 if plan k - 1 (its states from the shift between the
 * plans on) and plan k (its states up to the end of plan k - 1), both tracked at 0.1 s, differ by at most the
 * EC_MAX_RMS root-mean-square in |acceleration|, jerk, yaw rate and yaw acceleration; else 0. With plans 0.5 s
 * apart that is 36 shared states, as in NAVSIM. Invalid at other states, with fewer than 3 shared states and
 * everywhere without plans. Episode EC is the mean over plan pairs (NAVSIM averages its two-frame EC).
 */
export function extendedComfortSeries(ctx: EpisodeContext): StepSeries {
  const series = passingSeries(ctx.n);
  series.valid.fill(0);
  const plans = ctx.log.plans;
  if (!plans) return series;
  const tracked = trackedPlans(ctx);
  for (let k = 1; k < tracked.length; k++) {
    const ok = consistentPlans(
      tracked[k - 1],
      tracked[k],
      planStep(plans, k) - planStep(plans, k - 1),
      ctx.dt,
    );
    if (ok === null) continue;
    const step = planStep(plans, k);
    series.values[step] = ok ? 1 : 0;
    series.valid[step] = 1;
  }
  return series;
}

/**
 * EC of one plan pair: whether `previous` (its states from `shift` on) and `plan` (its states up to the end of
 * `previous`), both tracked at `dt`, agree within EC_MAX_RMS; null with fewer than 3 shared states. The plan
 * scorer calls it directly.
 */
export function consistentPlans(
  previous: TrackedPlan,
  plan: TrackedPlan,
  shift: number,
  dt: number,
): boolean | null {
  const m = plan.n - shift;
  if (m < 3) return null;
  const a = features(previous, shift, m, dt);
  const b = features(plan, 0, m, dt);
  return (
    rms(a.accel, b.accel, m) <= EC_MAX_RMS.accel &&
    rms(a.jerk, b.jerk, m) <= EC_MAX_RMS.jerk &&
    rms(a.yawRate, b.yawRate, m) <= EC_MAX_RMS.yawRate &&
    rms(a.yawAccel, b.yawAccel, m) <= EC_MAX_RMS.yawAccel
  );
}
