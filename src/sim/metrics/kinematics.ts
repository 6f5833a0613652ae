// Ego's motion profile for the comfort metrics (C, HC, EC): accelerations, jerks and yaw derivatives from a
// sampled trajectory, by Savitzky-Golay differentiation. Not the bounds (comfort.ts) nor the world's dynamics.

import { savgol } from './savgol.js';

/**
 * Smoothing window [s]. nuPlan's comfort metrics differentiate with Savitzky-Golay filters of 8 to 15 samples
 * at 0.1 s (NAVSIM fits one polynomial over its whole 4 s proposal); 1.5 s (15 samples at 0.1 s) is nuPlan's
 * jerk and yaw window, used here for every derivative so one closed-loop episode is judged locally in time.
 */
export const SMOOTHING_WINDOW = 1.5; // [s]
const POLY_FIRST = 2; // polynomial degree for first derivatives (nuPlan)
const POLY_SECOND = 3; // polynomial degree for the yaw acceleration (nuPlan)

/** Per-sample motion profile, each (n,). */
export interface Kinematics {
  readonly n: number;
  readonly lonAccel: Float64Array; // d speed / dt [m/s2]
  readonly latAccel: Float64Array; // speed * yaw rate [m/s2]
  readonly accel: Float64Array; // |(lon, lat)| [m/s2]
  readonly jerk: Float64Array; // d |accel| / dt [m/s3]
  readonly lonJerk: Float64Array; // d lonAccel / dt [m/s3]
  readonly yawRate: Float64Array; // d heading / dt [rad/s]
  readonly yawAccel: Float64Array; // d2 heading / dt2 [rad/s2]
}

/** Samples in the smoothing window at spacing `dt` [s]: odd, and at least 5 so a cubic fits. */
function windowSamples(dt: number): number {
  const w = Math.max(5, Math.round(SMOOTHING_WINDOW / dt));
  return w % 2 === 0 ? w + 1 : w;
}

/**
 * Motion profile from speed [m/s] and heading [rad] sampled every `dt` [s] (n samples):
 * lonAccel = SG'(speed), yawRate = SG'(unwrapped heading), yawAccel = SG''(heading), latAccel = speed * yawRate,
 * jerk = SG'(|accel|), lonJerk = SG'(lonAccel).
 */
export function kinematics(
  speed: ArrayLike<number>,
  heading: ArrayLike<number>,
  n: number,
  dt: number,
): Kinematics {
  const w = windowSamples(dt);
  const unwrapped = new Float64Array(n);
  let turns = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) turns += Math.round((heading[t] - heading[t - 1]) / (2 * Math.PI));
    unwrapped[t] = heading[t] - 2 * Math.PI * turns;
  }
  const lonAccel = savgol(speed, n, w, POLY_FIRST, 1, dt, new Float64Array(n));
  const yawRate = savgol(unwrapped, n, w, POLY_FIRST, 1, dt, new Float64Array(n));
  const yawAccel = savgol(unwrapped, n, w, POLY_SECOND, 2, dt, new Float64Array(n));
  const latAccel = new Float64Array(n);
  const accel = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    latAccel[t] = speed[t] * yawRate[t];
    accel[t] = Math.hypot(lonAccel[t], latAccel[t]);
  }
  const jerk = savgol(accel, n, w, POLY_FIRST, 1, dt, new Float64Array(n));
  const lonJerk = savgol(lonAccel, n, w, POLY_FIRST, 1, dt, new Float64Array(n));
  return { n, lonAccel, latAccel, accel, jerk, lonJerk, yawRate, yawAccel };
}

/**
 * Speed (unsigned) [m/s] and heading [rad] of a trajectory given only as positions (n, 2) every `dt` [s], by
 * central differences (one-sided at the ends). Where the trajectory stands still the heading is carried over.
 */
export function speedHeadingFromXy(
  xy: ArrayLike<number>,
  n: number,
  dt: number,
): { speed: Float64Array; heading: Float64Array } {
  const speed = new Float64Array(n);
  const heading = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t < n; t++) {
    const a = Math.max(0, t - 1);
    const b = Math.min(n - 1, t + 1);
    if (a === b) continue;
    const dx = xy[2 * b] - xy[2 * a];
    const dy = xy[2 * b + 1] - xy[2 * a + 1];
    const dist = Math.hypot(dx, dy);
    speed[t] = dist / ((b - a) * dt);
    if (dist > 1e-6) heading[t] = Math.atan2(dy, dx);
  }
  let last = Number.NaN;
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(heading[t])) heading[t] = last;
    else last = heading[t];
  }
  last = 0;
  for (let t = n - 1; t >= 0; t--) {
    if (Number.isNaN(heading[t])) heading[t] = last;
    else last = heading[t];
  }
  return { speed, heading };
}
