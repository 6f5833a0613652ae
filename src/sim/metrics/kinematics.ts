// Ego's comfort signals (C, HC, EC) from a series of simulated motion states at 0.1 s, smoothed and
// differentiated the way NAVSIM's pdm_comfort_metrics.py does. Not the bounds (comfort.ts) nor the dynamics.

import { savgol } from './savgol.js';

// Savitzky-Golay windows [samples] and degrees, as pdm_comfort_metrics.py passes them (each capped at n).
const ACCEL_WINDOW = 8; // _extract_ego_acceleration: smoothing of the acceleration states
const ACCEL_POLY = 2;
const JERK_WINDOW = 15; // _extract_ego_jerk: derivative of the smoothed acceleration
const JERK_POLY = 2;
const YAW_WINDOW = 5; // _extract_ego_yaw_rate: its window_length=15 is never passed on, so 5 applies
const YAW_RATE_POLY = 2;
const YAW_ACCEL_POLY = 3; // _compute_yaw_accel (extract_features, for EC, keeps degree 2)

/** Motion states every `dt` seconds, each (n,): what the simulator (or the plan tracker) produced. */
export interface MotionStates {
  readonly n: number;
  readonly heading: ArrayLike<number>; // [rad]
  readonly speed: ArrayLike<number>; // [m/s]
  readonly accel: ArrayLike<number>; // longitudinal acceleration state [m/s2]
  readonly yawRate: ArrayLike<number>; // yaw-rate state [rad/s]
}

/** Per-sample comfort signals, each (n,). */
export interface Kinematics {
  readonly n: number;
  readonly lonAccel: Float64Array; // smoothed acceleration state [m/s2]
  readonly latAccel: Float64Array; // smoothed speed * yaw-rate state [m/s2]
  readonly accel: Float64Array; // smoothed |(lon, lat)| [m/s2]
  readonly jerk: Float64Array; // d accel / dt [m/s3]
  readonly lonJerk: Float64Array; // d lonAccel / dt [m/s3]
  readonly yawRate: Float64Array; // d heading / dt [rad/s]
  readonly yawAccel: Float64Array; // d2 heading / dt2 [rad/s2], degree YAW_ACCEL_POLY unless `yawAccelPoly`
}

/**
 * Comfort signals of `states`: lonAccel = SG8(accel), latAccel = SG8(speed * yawRate), accel = SG8(|(a, v w)|),
 * jerk = SG15'(accel), lonJerk = SG15'(lonAccel), yawRate = SG5'(unwrapped heading), yawAccel = SG5''(heading).
 * Deliberate difference: NAVSIM's lateral acceleration state is always 0 (its bicycle sets it so), which makes
 * its lateral bound and the magnitude's lateral part void; here both are the physical v * yaw rate.
 */
export function kinematics(states: MotionStates, dt: number, yawAccelPoly = YAW_ACCEL_POLY): Kinematics {
  const { n } = states;
  const unwrapped = new Float64Array(n);
  const lat = new Float64Array(n);
  const magnitude = new Float64Array(n);
  let turns = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) turns += Math.round((states.heading[t] - states.heading[t - 1]) / (2 * Math.PI));
    unwrapped[t] = states.heading[t] - 2 * Math.PI * turns;
    lat[t] = states.speed[t] * states.yawRate[t];
    magnitude[t] = Math.hypot(states.accel[t], lat[t]);
  }
  const smooth = (y: ArrayLike<number>) => savgol(y, n, ACCEL_WINDOW, ACCEL_POLY, 0, dt, new Float64Array(n));
  const lonAccel = smooth(states.accel);
  const latAccel = smooth(lat);
  const accel = smooth(magnitude);
  return {
    n,
    lonAccel,
    latAccel,
    accel,
    jerk: savgol(accel, n, JERK_WINDOW, JERK_POLY, 1, dt, new Float64Array(n)),
    lonJerk: savgol(lonAccel, n, JERK_WINDOW, JERK_POLY, 1, dt, new Float64Array(n)),
    yawRate: savgol(unwrapped, n, YAW_WINDOW, YAW_RATE_POLY, 1, dt, new Float64Array(n)),
    yawAccel: savgol(unwrapped, n, YAW_WINDOW, yawAccelPoly, 2, dt, new Float64Array(n)),
  };
}

/** EC's features use degree 2 for the yaw acceleration too (extract_features calls the yaw-rate extractor). */
export const EC_YAW_ACCEL_POLY = 2;
