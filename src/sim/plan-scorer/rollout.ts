// A 4 s plan of controls rolled through ego's kinematic bicycle, and the controls that track a plan of positions.
// Not scoring (score.ts) nor the other agents' future (scene.ts).
//
// A control plan is (PLAN_HORIZON, 2) [accel m/s2, curvature 1/m] per PLAN_SPACING step, each held for
// PLAN_EVERY world steps of DT, exactly as world.ts applies an EgoAction to ego every step.

import { type BicycleState, bicycleStep, MAX_ACCEL, maxCurvature } from '../agents/bicycle.js';
import type { TrackStart } from '../metrics/plan-tracking.js';
import { DT, PLAN_EVERY, PLAN_HORIZON } from '../types.js';

/** World steps a plan covers: 8 steps of 0.5 s = 40 steps of 0.1 s. */
export const PLAN_STEPS = PLAN_HORIZON * PLAN_EVERY;

/** Ego's state at the start of a plan, as the world state holds it (the plan tracker's start) and its length. */
export interface EgoStart extends TrackStart {
  readonly length: number; // [m]
}

/** Ego's rows over a plan: PLAN_STEPS + 1 states (state 0 is the start), as the world would record them. */
export interface EgoRows {
  readonly x: Float32Array; // (PLAN_STEPS + 1,) [m]
  readonly y: Float32Array;
  readonly heading: Float32Array; // [rad]
  readonly speed: Float32Array; // [m/s]
  readonly accel: Float32Array; // [m/s2]
  readonly yawRate: Float32Array; // [rad/s]
}

/** The columns of EgoRows, also ego's columns of an EpisodeLog. */
export const EGO_COLUMNS = ['x', 'y', 'heading', 'speed', 'accel', 'yawRate'] as const;

export function allocEgoRows(): EgoRows {
  const rows = {} as Record<(typeof EGO_COLUMNS)[number], Float32Array>;
  for (const c of EGO_COLUMNS) rows[c] = new Float32Array(PLAN_STEPS + 1);
  return rows;
}

const bike: BicycleState = { x: 0, y: 0, heading: 0, speed: 0 };

/**
 * Rolls `plan` ((PLAN_HORIZON, 2) controls) from `start` into `out`: per world step, bicycleStep with the plan
 * step's controls, then the state rounded to float32 as the world's state arrays hold it, so that the rows equal
 * what World.step would record for the same actions.
 */
export function rollPlan(start: EgoStart, plan: ArrayLike<number>, out: EgoRows): EgoRows {
  out.x[0] = start.x;
  out.y[0] = start.y;
  out.heading[0] = start.heading;
  out.speed[0] = start.speed;
  out.accel[0] = start.accel;
  out.yawRate[0] = start.yawRate;
  for (let t = 1; t <= PLAN_STEPS; t++) {
    const k = Math.floor((t - 1) / PLAN_EVERY);
    bike.x = out.x[t - 1];
    bike.y = out.y[t - 1];
    bike.heading = out.heading[t - 1];
    bike.speed = out.speed[t - 1];
    out.yawRate[t] = bicycleStep(bike, plan[2 * k], plan[2 * k + 1], start.length, DT);
    out.x[t] = bike.x;
    out.y[t] = bike.y;
    out.heading[t] = bike.heading;
    out.speed[t] = bike.speed;
    out.accel[t] = (out.speed[t] - out.speed[t - 1]) / DT;
  }
  return out;
}

/** Ego's planned positions at the plan steps: (PLAN_HORIZON, 2), states PLAN_EVERY, 2 PLAN_EVERY, ... */
export function planPositions(rows: EgoRows, out: Float32Array): Float32Array {
  for (let k = 0; k < PLAN_HORIZON; k++) {
    out[2 * k] = rows.x[(k + 1) * PLAN_EVERY];
    out[2 * k + 1] = rows.y[(k + 1) * PLAN_EVERY];
  }
  return out;
}

const TRACK_ITERATIONS = 6; // Gauss-Newton steps per plan step
const TRACK_DAMPING = 1e-3; // [m2] Levenberg damping: curvature does nothing at standstill
const PROBE_ACCEL = 1e-3; // [m/s2] finite-difference step
const PROBE_CURVATURE = 1e-5; // [1/m]

/** The end of one plan step from `s` (not changed) with constant controls, into `end`. */
function stepEnd(s: BicycleState, accel: number, curvature: number, length: number, end: BicycleState): void {
  end.x = s.x;
  end.y = s.y;
  end.heading = s.heading;
  end.speed = s.speed;
  for (let i = 0; i < PLAN_EVERY; i++) bicycleStep(end, accel, curvature, length, DT);
}

const probe: BicycleState = { x: 0, y: 0, heading: 0, speed: 0 };
const end: BicycleState = { x: 0, y: 0, heading: 0, speed: 0 };

/**
 * The control plan that tracks a plan of positions ((PLAN_HORIZON, 2) [m], PLAN_SPACING apart from `start`):
 * plan step by plan step from where the previous steps actually took ego, the constant (accel, curvature)
 * whose PLAN_EVERY bicycle steps end nearest the next point (damped Gauss-Newton from the circular-arc guess,
 * controls kept within the bicycle's limits). Closed loop, so errors do not accumulate. (PLAN_HORIZON, 2).
 */
export function trackPositions(start: EgoStart, xy: ArrayLike<number>): Float64Array {
  const controls = new Float64Array(PLAN_HORIZON * 2);
  const s: BicycleState = { x: start.x, y: start.y, heading: start.heading, speed: start.speed };
  const kMax = maxCurvature(start.length);
  const seconds = PLAN_EVERY * DT;
  for (let k = 0; k < PLAN_HORIZON; k++) {
    const tx = xy[2 * k];
    const ty = xy[2 * k + 1];
    const c = Math.cos(s.heading);
    const sn = Math.sin(s.heading);
    const ahead = (tx - s.x) * c + (ty - s.y) * sn;
    const left = -(tx - s.x) * sn + (ty - s.y) * c;
    const chord2 = ahead * ahead + left * left;
    let curvature = chord2 > 1e-6 ? Math.max(-kMax, Math.min(kMax, (2 * left) / chord2)) : 0;
    // Distance covered by PLAN_EVERY Euler steps: v T + a DT^2 (0 + 1 + ... + PLAN_EVERY - 1).
    const ramp = (DT * DT * (PLAN_EVERY * (PLAN_EVERY - 1))) / 2;
    let accel = (Math.sqrt(chord2) - s.speed * seconds) / ramp;
    accel = Math.max(-MAX_ACCEL, Math.min(MAX_ACCEL, accel));
    for (let it = 0; it < TRACK_ITERATIONS; it++) {
      stepEnd(s, accel, curvature, start.length, end);
      const ex = tx - end.x;
      const ey = ty - end.y;
      stepEnd(s, accel + PROBE_ACCEL, curvature, start.length, probe);
      const jax = (probe.x - end.x) / PROBE_ACCEL;
      const jay = (probe.y - end.y) / PROBE_ACCEL;
      stepEnd(s, accel, curvature + PROBE_CURVATURE, start.length, probe);
      const jkx = (probe.x - end.x) / PROBE_CURVATURE;
      const jky = (probe.y - end.y) / PROBE_CURVATURE;
      // (J^T J + damping I) delta = J^T e, 2 x 2
      const aa = jax * jax + jay * jay + TRACK_DAMPING;
      const ak = jax * jkx + jay * jky;
      const kk = jkx * jkx + jky * jky + TRACK_DAMPING;
      const ra = jax * ex + jay * ey;
      const rk = jkx * ex + jky * ey;
      const det = aa * kk - ak * ak;
      accel = Math.max(-MAX_ACCEL, Math.min(MAX_ACCEL, accel + (kk * ra - ak * rk) / det));
      curvature = Math.max(-kMax, Math.min(kMax, curvature + (aa * rk - ak * ra) / det));
    }
    controls[2 * k] = accel;
    controls[2 * k + 1] = curvature;
    stepEnd(s, accel, curvature, start.length, end);
    s.x = end.x;
    s.y = end.y;
    s.heading = end.heading;
    s.speed = end.speed;
  }
  return controls;
}
