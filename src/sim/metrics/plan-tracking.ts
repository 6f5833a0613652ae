// A logged plan (xy points 0.5 s apart) driven at 0.1 s from ego's state by a simple tracking controller through
// the kinematic bicycle: the stand-in for NAVSIM's LQR tracker (pdm_simulator.py). Not a planner, not scoring.

import { wrapAngle } from '../../core/angle.js';
import { type BicycleState, bicycleStep } from '../agents/bicycle.js';
import type { MotionStates } from './kinematics.js';

const LOOKAHEAD_TIME = 0.8; // [s] pure-pursuit lookahead distance per unit speed
const LOOKAHEAD_MIN = 3; // [m] pure-pursuit lookahead at low speed
const SPEED_GAIN = 2; // [1/s] proportional gain on the speed error

/** Ego's state when the plan was made: pose, speed and its current motion state. */
export interface TrackStart {
  readonly x: number; // [m]
  readonly y: number; // [m]
  readonly heading: number; // [rad]
  readonly speed: number; // [m/s]
  readonly accel: number; // [m/s2]
  readonly yawRate: number; // [rad/s]
}

/** A tracked plan: `n` motion states every `dt` seconds from the start state (state 0), each (n,). */
export interface TrackedPlan extends MotionStates {
  readonly x: Float64Array; // [m]
  readonly y: Float64Array; // [m]
  readonly heading: Float64Array; // [rad]
  readonly speed: Float64Array; // [m/s]
  readonly accel: Float64Array; // [m/s2] over the step into the state (state 0: the start's)
  readonly yawRate: Float64Array; // [rad/s] over the step into the state (state 0: the start's)
}

/** The reference path: ego's start then the plan's points, with arc length and time at each point. */
interface Reference {
  readonly xy: Float64Array; // (P, 2) [m]
  readonly s: Float64Array; // (P,) [m]
  readonly points: number; // P = horizon + 1
}

function reference(start: TrackStart, plan: ArrayLike<number>, horizon: number): Reference {
  const points = horizon + 1;
  const xy = new Float64Array(points * 2);
  const s = new Float64Array(points);
  xy[0] = start.x;
  xy[1] = start.y;
  for (let j = 1; j < points; j++) {
    xy[2 * j] = plan[2 * (j - 1)];
    xy[2 * j + 1] = plan[2 * (j - 1) + 1];
    s[j] = s[j - 1] + Math.hypot(xy[2 * j] - xy[2 * j - 2], xy[2 * j + 1] - xy[2 * j - 1]);
  }
  return { xy, s, points };
}

/**
 * The plan's implied speed at time `time` [s]: each segment's mean speed (length / spacing) held at its middle
 * and linearly interpolated between middles, from ego's own speed at time 0; and its slope there [m/s2].
 */
function referenceSpeed(ref: Reference, spacing: number, v0: number, time: number): [number, number] {
  const segments = ref.points - 1;
  const knot = (j: number) => (j === 0 ? v0 : (ref.s[j] - ref.s[j - 1]) / spacing); // at (j - 0.5) spacing
  const at = (j: number) => (j === 0 ? 0 : (j - 0.5) * spacing);
  if (time >= at(segments)) return [knot(segments), 0];
  let j = 0;
  while (at(j + 1) <= time) j++;
  const slope = (knot(j + 1) - knot(j)) / (at(j + 1) - at(j));
  return [knot(j) + slope * (time - at(j)), slope];
}

/** The point `ahead` metres of arc length past the projection of (x, y) onto the path (extended at its end). */
function lookahead(ref: Reference, x: number, y: number, ahead: number): [number, number] {
  let best = Number.POSITIVE_INFINITY;
  let bestS = 0;
  for (let j = 0; j + 1 < ref.points; j++) {
    const ax = ref.xy[2 * j];
    const ay = ref.xy[2 * j + 1];
    const dx = ref.xy[2 * j + 2] - ax;
    const dy = ref.xy[2 * j + 3] - ay;
    const len2 = dx * dx + dy * dy;
    const u = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    const d = Math.hypot(ax + u * dx - x, ay + u * dy - y);
    if (d < best) {
      best = d;
      bestS = ref.s[j] + u * (ref.s[j + 1] - ref.s[j]);
    }
  }
  const target = bestS + ahead;
  let j = 0;
  while (j + 2 < ref.points && ref.s[j + 1] < target) j++;
  const seg = ref.s[j + 1] - ref.s[j];
  const u = seg > 1e-9 ? (target - ref.s[j]) / seg : 1; // beyond the end: u > 1 extends the last segment
  return [
    ref.xy[2 * j] + u * (ref.xy[2 * j + 2] - ref.xy[2 * j]),
    ref.xy[2 * j + 1] + u * (ref.xy[2 * j + 3] - ref.xy[2 * j + 1]),
  ];
}

/**
 * Drives the plan (horizon points, `spacing` seconds apart, (horizon, 2) world xy) from `start` for
 * horizon * spacing seconds at `dt`: pure pursuit (curvature 2 sin(alpha) / lookahead, lookahead max(3 m, 0.8 s
 * of speed)) and acceleration = the plan's implied-speed slope + 2/s x the speed error, through `bicycleStep`
 * (its steering and acceleration limits apply). Deliberate difference: NAVSIM tracks with an LQR controller
 * (batch_lqr.py) through a bicycle with first-order actuator lags (batch_kinematic_bicycle.py).
 */
export function trackPlan(
  start: TrackStart,
  plan: ArrayLike<number>,
  horizon: number,
  spacing: number,
  length: number,
  dt: number,
): TrackedPlan {
  const ref = reference(start, plan, horizon);
  const n = Math.round((horizon * spacing) / dt) + 1;
  const out = {
    n,
    x: new Float64Array(n),
    y: new Float64Array(n),
    heading: new Float64Array(n),
    speed: new Float64Array(n),
    accel: new Float64Array(n),
    yawRate: new Float64Array(n),
  };
  const s: BicycleState = { x: start.x, y: start.y, heading: start.heading, speed: Math.max(0, start.speed) };
  const record = (t: number, accel: number, yawRate: number) => {
    out.x[t] = s.x;
    out.y[t] = s.y;
    out.heading[t] = s.heading;
    out.speed[t] = s.speed;
    out.accel[t] = accel;
    out.yawRate[t] = yawRate;
  };
  record(0, start.accel, start.yawRate);
  for (let t = 1; t < n; t++) {
    const time = (t - 1) * dt;
    const [vRef, slope] = referenceSpeed(ref, spacing, start.speed, time + dt);
    const accel = slope + SPEED_GAIN * (vRef - s.speed);
    const ahead = Math.max(LOOKAHEAD_MIN, LOOKAHEAD_TIME * s.speed);
    const [px, py] = lookahead(ref, s.x, s.y, ahead);
    const alpha = wrapAngle(Math.atan2(py - s.y, px - s.x) - s.heading);
    const curvature = (2 * Math.sin(alpha)) / Math.max(Math.hypot(px - s.x, py - s.y), 1e-6);
    const before = s.speed;
    const yawRate = bicycleStep(s, accel, curvature, length, dt);
    record(t, (s.speed - before) / dt, yawRate);
  }
  return out;
}
