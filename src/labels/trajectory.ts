// Trajectory labels: where ego and the nearest agents will be over the next 4 s, read from the expert's log.
// Not action tokens (action-tokens.ts turns ego's future into controls); these are positions in ego's frame.

import { PLAN_STEPS } from './action-bins.js';
import type { DynamicLabel, ParticipantClass } from './dynamic.js';
import { egoForward, egoLeft, type LabelFrame, logIndex, poseAt, STEPS_PER_PLAN_STEP } from './frame.js';
import { askAll, egoPlace, metres, type QaPair } from './qa.js';

const MAX_AGENTS = 4; // the nearest participants get futures

export interface AgentFuture {
  readonly agent: number;
  readonly kind: ParticipantClass;
  readonly xy: Float32Array; // (H, 2) forward, left in ego's frame now [m]
  readonly valid: Uint8Array; // (H,) 0 where the agent has left the world
}

export interface TrajectoryLabel {
  readonly ego: Float32Array; // (H, 2) ego's future positions in its frame now, every 0.5 s [m]
  readonly agents: readonly AgentFuture[];
}

/** Futures of ego and of the nearest participants of `dynamic` (same frame). */
export function trajectoryLabel(frame: LabelFrame, dynamic: DynamicLabel): TrajectoryLabel {
  const agents = dynamic.participants.slice(0, MAX_AGENTS).map((p) => {
    const xy = new Float32Array(PLAN_STEPS * 2);
    const valid = new Uint8Array(PLAN_STEPS);
    futureInto(frame, p.agent, xy, valid);
    return { agent: p.agent, kind: p.kind, xy, valid };
  });
  const ego = new Float32Array(PLAN_STEPS * 2);
  futureInto(frame, 0, ego, new Uint8Array(PLAN_STEPS));
  return { ego, agents };
}

function futureInto(frame: LabelFrame, agent: number, xy: Float32Array, valid: Uint8Array): void {
  const { log, step } = frame;
  const ego = poseAt(log, 0, step);
  for (let k = 0; k < PLAN_STEPS; k++) {
    const i = logIndex(log, agent, Math.min(log.steps, step + (k + 1) * STEPS_PER_PLAN_STEP));
    valid[k] = log.valid[i]!;
    xy[2 * k] = egoForward(ego, log.x[i]!, log.y[i]!);
    xy[2 * k + 1] = egoLeft(ego, log.x[i]!, log.y[i]!);
  }
}

/** Path length of an (H, 2) future starting at the origin, over its first `points` points [m]. */
function pathLength(xy: Float32Array, points: number): number {
  let length = 0;
  let px = 0;
  let py = 0;
  for (let k = 0; k < points; k++) {
    length += Math.hypot(xy[2 * k]! - px, xy[2 * k + 1]! - py);
    px = xy[2 * k]!;
    py = xy[2 * k + 1]!;
  }
  return length;
}

export function trajectoryQa(label: TrajectoryLabel, seed: number): QaPair[] {
  const last = PLAN_STEPS - 1;
  const mid = PLAN_STEPS / 2 - 1; // the 2 s point
  const nearest = label.agents[0];
  return askAll('trajectory', seed, [
    [
      'ego_in_4s',
      ['Where will you be in 4 s?', 'Where does your path put you 4 s from now?', 'Your position in 4 s?'],
      egoPlace(label.ego[2 * last]!, label.ego[2 * last + 1]!),
    ],
    [
      'ego_distance_2s',
      ['How far will you travel in the next 2 s?', 'Distance you cover in 2 s?'],
      metres(pathLength(label.ego, mid + 1)),
    ],
    [
      'nearest_in_2s',
      ['Where will the nearest road user be in 2 s?', 'Position of the closest road user 2 s from now?'],
      nearest?.valid[mid] ? egoPlace(nearest.xy[2 * mid]!, nearest.xy[2 * mid + 1]!) : 'none',
    ],
  ]);
}
