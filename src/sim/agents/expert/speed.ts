// The expert's longitudinal control: a jerk-limited IDM towards a speed target, and the plan it implies (the
// same controller rolled forward 4 s along the reference path). Not what sets the target (expert.ts).

import { DT, PLAN_HORIZON, PLAN_SPACING } from '../../types.js';
import { clipAccel, type IdmParams, idmAccel } from '../idm.js';
import { PATH_SPACING, type PathSamples } from './path.js';

/** [m] bumper to bumper the expert keeps at standstill, to a leader or a stopping point. */
export const STANDSTILL_GAP = 3;

/**
 * Gentler than highway-env's traffic (the expert is also the comfort reference). The expert measures bumper gaps
 * to whatever it meets (vehicles, pedestrians, obstacles, stopping points) and passes them to highway-env's IDM
 * form as the distance, with the standstill bumper gap as the jam distance: a leader of zero length. Counting a
 * 5 m length into both, as highway-env's traffic does, softens braking near the leader; the jerk-limited expert
 * then overshot stop lines by ~1.4 m (nominal-urban seed 2 crept over a red).
 */
export const EXPERT_IDM: IdmParams = {
  maxAccel: 2, // [m/s2]
  comfortBrake: 3, // [m/s2]
  timeHeadway: 1.2, // [s]
  exponent: 4,
  jamDistance: STANDSTILL_GAP, // [m] bumper to bumper
  accelLimit: 6, // [m/s2]
};
const JERK = 6; // [m/s3] limit on how fast the commanded acceleration changes
const EMERGENCY_JERK = 20; // [m/s3] when braking harder than 3 m/s2 is called for
const YIELD_CREEP_SPEED = 1; // [m/s] below this a yielding expert does not pull away

/** What IDM drives towards now. */
export interface SpeedTarget {
  readonly v0: number; // [m/s] free-road speed
  readonly gap: number; // [m] bumper to bumper to the leader or stopping point, FREE_ROAD when none
  readonly leaderSpeed: number; // [m/s]
  readonly yielding: boolean; // waiting for a crossing agent: do not pull away
}

/** The next acceleration command from speed v and the previous command, over dt seconds. */
export function longitudinalCommand(v: number, previous: number, target: SpeedTarget, dt: number): number {
  let wanted = clipAccel(EXPERT_IDM, idmAccel(EXPERT_IDM, v, target.v0, target.gap, target.leaderSpeed));
  // Yielding at (nearly) standstill: wait for the way to clear instead of creeping towards the crossing agent.
  if (target.yielding && v < YIELD_CREEP_SPEED) wanted = Math.min(wanted, 0);
  const jerk = wanted < -3 && wanted < previous ? EMERGENCY_JERK : JERK;
  const step = jerk * dt;
  let accel = Math.min(previous + step, Math.max(previous - step, wanted));
  // Standing still, braking harder does nothing; keep the command near 0 so that pulling away is not delayed.
  if (v <= 0 && accel < 0) accel = Math.max(accel, -step);
  return accel;
}

/**
 * The plan: the longitudinal controller rolled forward for PLAN_HORIZON plan steps with the leader holding its
 * speed, its distances laid along the reference path. (PLAN_HORIZON, 2) world positions [m].
 */
export function planAlong(
  path: PathSamples,
  speed: number,
  accel: number,
  target: SpeedTarget,
): Float32Array {
  const plan = new Float32Array(PLAN_HORIZON * 2);
  let v = speed;
  let a = accel;
  let s = 0; // [m] along the path from ego's foot point
  let gap = target.gap;
  const stepsPerPoint = Math.round(PLAN_SPACING / DT);
  for (let k = 0; k < PLAN_HORIZON; k++) {
    for (let i = 0; i < stepsPerPoint; i++) {
      const vNext = Math.max(0, v + a * DT);
      const ds = 0.5 * (v + vNext) * DT;
      s += ds;
      gap += target.leaderSpeed * DT - ds;
      v = vNext;
      a = longitudinalCommand(v, a, { ...target, gap }, DT);
    }
    pointAt(path, s, plan, 2 * k);
  }
  return plan;
}

/** The path point `s` metres ahead of its start, linearly interpolated; straight on beyond its end. */
function pointAt(path: PathSamples, s: number, out: Float32Array, at: number): void {
  const f = s / PATH_SPACING;
  const last = path.count - 1;
  if (last < 1) {
    out[at] = path.x[0];
    out[at + 1] = path.y[0];
    return;
  }
  const i = Math.min(Math.floor(f), last - 1);
  const w = f - i; // beyond the end, w > 1 extrapolates along the last segment
  out[at] = path.x[i] + (path.x[i + 1] - path.x[i]) * w;
  out[at + 1] = path.y[i] + (path.y[i + 1] - path.y[i]) * w;
}
