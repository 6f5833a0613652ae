// A logged plan (xy points 0.5 s apart) driven at 0.1 s from ego's state by a simple tracking controller through
// the kinematic bicycle: the stand-in for NAVSIM's LQR tracker (pdm_simulator.py). Not a planner, not scoring.

import { wrapAngle } from '../../core/angle.js';
import { type BicycleState, bicycleStep } from '../agents/bicycle.js';
import { boundingCircle } from '../road/geometry.js';
import type { MotionStates } from './kinematics.js';

const LOOKAHEAD_TIME = 0.8; // [s] pure-pursuit lookahead distance per unit speed
const LOOKAHEAD_MIN = 3; // [m] pure-pursuit lookahead at low speed
const SPEED_GAIN = 2; // [1/s] proportional gain on the speed error
const ACCEL_LAG = 0.2; // [s] first-order lag on the acceleration command (NAVSIM's accel_time_constant)
const STEER_LAG = 0.05; // [s] first-order lag on the curvature command (NAVSIM's steering_angle_time_constant)

/** Ego's state when the plan was made: pose, speed and its current motion state. */
export interface TrackStart {
  readonly x: number; // [m]
  readonly y: number; // [m]
  readonly heading: number; // [rad]
  readonly speed: number; // [m/s]
  readonly accel: number; // [m/s2]
  readonly yawRate: number; // [rad/s]
}

/** The columns a start state is read from: a log's ego rows, a scene's past, rolled plan rows. */
export interface StateColumns {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly heading: ArrayLike<number>;
  readonly speed: ArrayLike<number>;
  readonly accel: ArrayLike<number>;
  readonly yawRate: ArrayLike<number>;
}

/** The start state at index t of `columns`. */
export function startAt(columns: StateColumns, t: number): TrackStart {
  return {
    x: columns.x[t],
    y: columns.y[t],
    heading: columns.heading[t],
    speed: columns.speed[t],
    accel: columns.accel[t],
    yawRate: columns.yawRate[t],
  };
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

/** The reference: the plan's points (for its speeds) and a smooth dense path through them (for steering). */
interface Reference {
  readonly knots: Float64Array; // (H + 1,) arc length of ego's start and each plan point along the chords [m]
  readonly xy: Float64Array; // (P, 2) dense path [m]
  readonly s: Float64Array; // (P,) its arc length [m]
  readonly points: number; // P
  /** Per Catmull-Rom segment (SUBSAMPLES dense segments), a circle holding its points: (C, 3) x, y, r [m]. */
  readonly circles: Float64Array;
}

const SUBSAMPLES = 10; // dense points per plan segment
const EXTENSION = 3; // segments the path runs on past the plan's end, turning as its last one did

function reference(start: TrackStart, plan: ArrayLike<number>, horizon: number): Reference {
  // Control points: a phantom that makes the path leave ego along its heading, ego, the plan, then EXTENSION
  // points continuing
  // the last segment's length and turn (so the lookahead near the end sees the same curvature).
  const control: [number, number][] = [];
  const first = Math.hypot(plan[0] - start.x, plan[1] - start.y);
  control.push([
    plan[0] - 2 * Math.cos(start.heading) * first,
    plan[1] - 2 * Math.sin(start.heading) * first,
  ]);
  control.push([start.x, start.y]);
  for (let j = 0; j < horizon; j++) control.push([plan[2 * j], plan[2 * j + 1]]);
  const knots = new Float64Array(horizon + 1);
  for (let j = 1; j <= horizon; j++) {
    const [ax, ay] = control[j];
    const [bx, by] = control[j + 1];
    knots[j] = knots[j - 1] + Math.hypot(bx - ax, by - ay);
  }
  const last = control.length - 1;
  const [lx, ly] = control[last];
  const [px, py] = control[last - 1];
  const [qx, qy] = control[last - 2];
  const len = Math.hypot(lx - px, ly - py);
  const turn =
    len > 1e-6 && Math.hypot(px - qx, py - qy) > 1e-6
      ? wrapAngle(Math.atan2(ly - py, lx - px) - Math.atan2(py - qy, px - qx))
      : 0;
  let dir = Math.atan2(ly - py, lx - px);
  for (let e = 0; e <= EXTENSION; e++) {
    dir += turn;
    const [x, y] = control[control.length - 1];
    control.push([x + Math.cos(dir) * Math.max(len, 1), y + Math.sin(dir) * Math.max(len, 1)]);
  }
  // Uniform Catmull-Rom through control[1 .. end - 1]; the first and last control points only shape the ends.
  const segments = control.length - 3;
  const points = segments * SUBSAMPLES + 1;
  const xy = new Float64Array(points * 2);
  const s = new Float64Array(points);
  for (let i = 0; i < segments; i++) {
    const [p0, p1, p2, p3] = [control[i], control[i + 1], control[i + 2], control[i + 3]];
    for (let k = 0; k < SUBSAMPLES + (i === segments - 1 ? 1 : 0); k++) {
      const u = k / SUBSAMPLES;
      const u2 = u * u;
      const u3 = u2 * u;
      const at = i * SUBSAMPLES + k;
      for (let c = 0; c < 2; c++) {
        xy[2 * at + c] =
          0.5 *
          (2 * p1[c] +
            (p2[c] - p0[c]) * u +
            (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * u2 +
            (3 * p1[c] - p0[c] - 3 * p2[c] + p3[c]) * u3);
      }
      if (at > 0)
        s[at] = s[at - 1] + Math.hypot(xy[2 * at] - xy[2 * at - 2], xy[2 * at + 1] - xy[2 * at - 1]);
    }
  }
  const circles = new Float64Array(segments * 3);
  for (let i = 0; i < segments; i++) boundingCircle(xy, i * SUBSAMPLES, (i + 1) * SUBSAMPLES, circles, 3 * i);
  return { knots, xy, s, points, circles };
}

/**
 * The plan's implied speed at time `time` [s]: each segment's mean speed (length / spacing) held at its middle
 * and linearly interpolated between middles, from ego's own speed at time 0; and its slope there [m/s2].
 */
function referenceSpeed(ref: Reference, spacing: number, v0: number, time: number): [number, number] {
  const segments = ref.knots.length - 1;
  if (time >= knotTime(segments, spacing)) return [knotSpeed(ref, segments, spacing, v0), 0];
  let j = 0;
  while (knotTime(j + 1, spacing) <= time) j++;
  const v = knotSpeed(ref, j, spacing, v0);
  const slope = (knotSpeed(ref, j + 1, spacing, v0) - v) / (knotTime(j + 1, spacing) - knotTime(j, spacing));
  return [v + slope * (time - knotTime(j, spacing)), slope];
}

/** The speed held at knot j: ego's own at j = 0, else segment j's mean speed [m/s]. */
function knotSpeed(ref: Reference, j: number, spacing: number, v0: number): number {
  return j === 0 ? v0 : (ref.knots[j] - ref.knots[j - 1]) / spacing;
}

/** When knot j's speed holds: time 0 for ego's, else the middle of segment j, (j - 0.5) spacing [s]. */
function knotTime(j: number, spacing: number): number {
  return j === 0 ? 0 : (j - 0.5) * spacing;
}

/** Where the previous lookahead projected: the dense segment, a hint for the next (it changes no result). */
interface Hint {
  segment: number;
}

const CIRCLE_SLACK = 1e-6; // [m] a circle is skipped only when farther than the best foot point by more than this

const HYPOT_MARGIN = 1 + 1e-9; // a squared distance this much above the best's square is surely farther

/** The nearest foot point found so far: distance [m], dense segment (-1: none), its fraction along it. */
const nearest = { d: Number.POSITIVE_INFINITY, j: -1, u: 0 };

/** Scans dense segments [from, to) into `nearest`: a nearer foot point, or as near on an earlier segment, wins. */
function scanPath(ref: Reference, x: number, y: number, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    const ax = ref.xy[2 * j];
    const ay = ref.xy[2 * j + 1];
    const dx = ref.xy[2 * j + 2] - ax;
    const dy = ref.xy[2 * j + 3] - ay;
    const len2 = dx * dx + dy * dy;
    const u = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    const ex = ax + u * dx - x;
    const ey = ay + u * dy - y;
    // Math.hypot is within an ulp or two of the square root: clearly farther points need not call it.
    if (ex * ex + ey * ey > nearest.d * nearest.d * HYPOT_MARGIN) continue;
    const d = Math.hypot(ex, ey);
    if (d < nearest.d || (d === nearest.d && j < nearest.j)) {
      nearest.d = d;
      nearest.j = j;
      nearest.u = u;
    }
  }
}

/**
 * Arc length of the nearest foot point of (x, y) on the dense path: on the first segment of least distance, as
 * a scan over every segment in order finds it. The hint's circle is scanned first for a tight bound; the other
 * circles are scanned in order unless all their points are farther than the bound. Writes the segment into the
 * hint (0 when no distance is finite, a NaN state, where the arc length is 0 as the plain scan leaves it).
 */
function project(ref: Reference, x: number, y: number, hint: Hint): number {
  nearest.d = Number.POSITIVE_INFINITY;
  nearest.j = -1;
  nearest.u = 0;
  const c = ref.circles;
  const count = c.length / 3;
  const seed = Math.min(count - 1, Math.floor(hint.segment / SUBSAMPLES));
  scanPath(ref, x, y, seed * SUBSAMPLES, (seed + 1) * SUBSAMPLES);
  for (let i = 0; i < count; i++) {
    if (i === seed) continue;
    const reach = nearest.d + CIRCLE_SLACK + c[3 * i + 2];
    const dx = x - c[3 * i];
    const dy = y - c[3 * i + 1];
    if (dx * dx + dy * dy > reach * reach) continue; // every point of the circle is farther than the best
    scanPath(ref, x, y, i * SUBSAMPLES, (i + 1) * SUBSAMPLES);
  }
  const j = nearest.j;
  hint.segment = Math.max(0, j);
  return j < 0 ? 0 : ref.s[j] + nearest.u * (ref.s[j + 1] - ref.s[j]);
}

/** The point `ahead` metres of arc length past the projection of (x, y) onto the dense path (clamped to its end). */
function lookahead(ref: Reference, x: number, y: number, ahead: number, hint: Hint): [number, number] {
  const target = project(ref, x, y, hint) + ahead;
  // Every segment before the projection's ends before the target (ahead >= LOOKAHEAD_MIN), so the walk may
  // start at the projection's segment.
  let j = hint.segment;
  while (j + 2 < ref.points && ref.s[j + 1] < target) j++;
  const seg = ref.s[j + 1] - ref.s[j];
  const u = seg > 1e-9 ? Math.min(1, (target - ref.s[j]) / seg) : 1;
  return [
    ref.xy[2 * j] + u * (ref.xy[2 * j + 2] - ref.xy[2 * j]),
    ref.xy[2 * j + 1] + u * (ref.xy[2 * j + 3] - ref.xy[2 * j + 1]),
  ];
}

/**
 * Drives the plan (horizon points, `spacing` seconds apart, (horizon, 2) world xy) from `start` for
 * horizon * spacing seconds at `dt`: pure pursuit on a Catmull-Rom path through the points (curvature
 * 2 sin(alpha) / distance to a point max(3 m, 0.8 s of speed) ahead) and acceleration = the plan's implied-speed
 * slope + 2/s x the speed error, both through NAVSIM's first-order actuator lags (0.2 s, 0.05 s; from ego's
 * current acceleration and curvature), then `bicycleStep` (its steering and acceleration limits apply).
 * Deliberate difference: NAVSIM tracks with an LQR controller (batch_lqr.py) through a rear-axle bicycle
 * (batch_kinematic_bicycle.py); this is its stand-in, not a copy.
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
  record(out, 0, s, start.accel, start.yawRate);
  // The actuators start where ego's motion state is and follow the commands with NAVSIM's lags.
  let accel = start.accel; // [m/s2]
  let curvature = start.speed > 1e-3 ? start.yawRate / start.speed : 0; // [1/m]
  const hint: Hint = { segment: 0 };
  for (let t = 1; t < n; t++) {
    const time = (t - 1) * dt;
    const [vRef, slope] = referenceSpeed(ref, spacing, start.speed, time + dt);
    accel += (dt / (dt + ACCEL_LAG)) * (slope + SPEED_GAIN * (vRef - s.speed) - accel);
    const ahead = Math.max(LOOKAHEAD_MIN, LOOKAHEAD_TIME * s.speed);
    const [px, py] = lookahead(ref, s.x, s.y, ahead, hint);
    const alpha = wrapAngle(Math.atan2(py - s.y, px - s.x) - s.heading);
    const command = (2 * Math.sin(alpha)) / Math.max(Math.hypot(px - s.x, py - s.y), 1e-6); // [1/m]
    curvature += (dt / (dt + STEER_LAG)) * (command - curvature);
    const before = s.speed;
    const yawRate = bicycleStep(s, accel, curvature, length, dt);
    record(out, t, s, (s.speed - before) / dt, yawRate);
  }
  return out;
}

/** Writes state t of a tracked plan: the bicycle's pose and speed, and the motion state over the step into it. */
function record(out: TrackedPlan, t: number, s: BicycleState, accel: number, yawRate: number): void {
  out.x[t] = s.x;
  out.y[t] = s.y;
  out.heading[t] = s.heading;
  out.speed[t] = s.speed;
  out.accel[t] = accel;
  out.yawRate[t] = yawRate;
}
