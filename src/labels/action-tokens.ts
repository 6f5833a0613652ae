// Action tokens: the expert's next 4 s as 8 steps of 0.5 s, each one acceleration bin and one curvature bin.
// Not the bins' fitting (action-bins.ts) and not the token ids (model/tokenizer.ts); policy/model-driver.ts decodes with this.
//
// Layout of a plan: (2H,) bins, interleaved [lon_0, lat_0, lon_1, lat_1, ...].

import { UsageError } from '../core/errors.js';
import { DT, type EgoAction } from '../sim/types.js';
import type { ActionBins } from './action-bins.js';
import type { Pose } from './frame.js';

/** Ego's motion model: the world's kinematic bicycle driven by (acceleration, curvature). */
export interface Kinematics {
  /** The pose after `dt` seconds of constant controls. */
  forward(pose: Pose, accel: number, curvature: number, dt: number): Pose;
  /** Constant controls that take `from` to (nearest) `to` in `dt` seconds. */
  inverse(from: Pose, to: Pose, dt: number): EgoAction;
}

const MAX_CLIMB = 8; // hill-climb moves per plan step of the closed-loop encoder
const NEIGHBOURS = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
] as const; // (longitudinal, lateral) bin moves
const HEADING_ARM = 2.0; // [m] heading error is weighed as the sideways miss it makes over this distance

/** One 0.5 s plan step with constant controls, integrated in world steps of DT as the simulator does. */
export function rollPlanStep(
  kin: Kinematics,
  pose: Pose,
  accel: number,
  curvature: number,
  seconds: number,
): Pose {
  const substeps = Math.round(seconds / DT);
  for (let i = 0; i < substeps; i++) pose = kin.forward(pose, accel, curvature, DT);
  return pose;
}

/** The bin whose centre is nearest to v. */
function nearestCentre(centres: Float64Array, v: number): number {
  let best = 0;
  for (let b = 1; b < centres.length; b++)
    if (Math.abs(centres[b]! - v) < Math.abs(centres[best]! - v)) best = b;
  return best;
}

/**
 * Encodes H target poses (every bins.stepSeconds from `initial`) as 2H bins, closed loop: step k starts from
 * the pose the first k tokens decode to, so quantisation error does not accumulate. From the bins nearest the
 * bicycle inverse's controls, a hill climb over neighbouring bin pairs keeps the pair landing closest.
 */
export function encodeActionTokens(
  kin: Kinematics,
  bins: ActionBins,
  initial: Pose,
  targets: readonly Pose[],
): Int32Array {
  const { longitudinal: lon, lateral: lat, stepSeconds } = bins;
  const tokens = new Int32Array(targets.length * 2); // (2H,)
  let pose = initial;
  targets.forEach((target, k) => {
    const guess = kin.inverse(pose, target, stepSeconds);
    let i = nearestCentre(lon.centres, guess.accel);
    let j = nearestCentre(lat.centres, guess.curvature);
    let bestPose = rollPlanStep(kin, pose, lon.centres[i]!, lat.centres[j]!, stepSeconds);
    let best = poseMiss(bestPose, target, stepSeconds);
    for (let climb = 0; climb < MAX_CLIMB; climb++) {
      let moved = false;
      for (const [di, dj] of NEIGHBOURS) {
        const ni = i + di;
        const nj = j + dj;
        if (ni < 0 || nj < 0 || ni >= lon.centres.length || nj >= lat.centres.length) continue;
        const next = rollPlanStep(kin, pose, lon.centres[ni]!, lat.centres[nj]!, stepSeconds);
        const miss = poseMiss(next, target, stepSeconds);
        if (miss < best) [best, bestPose, i, j, moved] = [miss, next, ni, nj, true];
      }
      if (!moved) break;
    }
    tokens[2 * k] = i;
    tokens[2 * k + 1] = j;
    pose = bestPose;
  });
  return tokens;
}

/** Squared miss between two poses [m2]: position, speed over a step, heading over HEADING_ARM. */
function poseMiss(p: Pose, q: Pose, seconds: number): number {
  const dh = Math.atan2(Math.sin(p.heading - q.heading), Math.cos(p.heading - q.heading));
  return (p.x - q.x) ** 2 + (p.y - q.y) ** 2 + ((p.speed - q.speed) * seconds) ** 2 + (dh * HEADING_ARM) ** 2;
}

/** The controls the bins of a plan stand for: (H, 2) [accel m/s2, curvature 1/m] per step. */
export function tokenControls(bins: ActionBins, tokens: Int32Array): Float64Array {
  if (tokens.length % 2 !== 0) throw new UsageError(`a plan has 2H tokens, got ${tokens.length}`);
  const controls = new Float64Array(tokens.length); // (H, 2)
  for (let k = 0; k < tokens.length; k += 2) {
    const i = tokens[k]!;
    const j = tokens[k + 1]!;
    if (i < 0 || i >= bins.longitudinal.centres.length || j < 0 || j >= bins.lateral.centres.length) {
      throw new UsageError(`plan step ${k / 2}: bins (${i}, ${j}) outside the action vocabulary`);
    }
    controls[k] = bins.longitudinal.centres[i]!;
    controls[k + 1] = bins.lateral.centres[j]!;
  }
  return controls;
}

/** Decodes a plan into the H poses it drives to from `initial`, integrating the bicycle with the bin centres. */
export function decodeActionTokens(
  kin: Kinematics,
  bins: ActionBins,
  initial: Pose,
  tokens: Int32Array,
): Pose[] {
  return rollControls(kin, initial, tokenControls(bins, tokens), bins.stepSeconds);
}

/** The poses (H) that (H, 2) controls drive to from `initial`, each held for `stepSeconds` [s]. */
export function rollControls(
  kin: Kinematics,
  initial: Pose,
  controls: Float64Array,
  stepSeconds: number,
): Pose[] {
  const poses: Pose[] = [];
  let pose = initial;
  for (let k = 0; k < controls.length; k += 2) {
    pose = rollPlanStep(kin, pose, controls[k]!, controls[k + 1]!, stepSeconds);
    poses.push(pose);
  }
  return poses;
}

/** Open-loop controls between consecutive poses (the samples the bins are fitted to): (H, 2) as above. */
export function stepControls(
  kin: Kinematics,
  initial: Pose,
  targets: readonly Pose[],
  seconds: number,
): Float64Array {
  const controls = new Float64Array(targets.length * 2); // (H, 2)
  let from = initial;
  targets.forEach((to, k) => {
    const action = kin.inverse(from, to, seconds);
    controls[2 * k] = action.accel;
    controls[2 * k + 1] = action.curvature;
    from = to;
  });
  return controls;
}
