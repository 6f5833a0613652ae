// Ego's proprioceptive state as the model reads it: speed, longitudinal acceleration and yaw rate of agent 0.
// Not the navigation instruction (labels/instructions.ts) and not the pose (the images are ego-centred).

import type { SceneSnapshot } from './scene.js';

export interface EgoState {
  readonly speed: number; // [m/s]
  readonly accel: number; // [m/s2]
  readonly yawRate: number; // [rad/s]
}

/** Entries of egoStateVector, in order. */
export const EGO_STATE_FIELDS = ['speed', 'accel', 'yawRate'] as const;

export function egoState(scene: SceneSnapshot): EgoState {
  const { agents } = scene;
  return { speed: agents.speed[0]!, accel: agents.accel[0]!, yawRate: agents.yawRate[0]! };
}

/** The state as a vector, (EGO_STATE_FIELDS.length,). */
export function egoStateVector(state: EgoState): Float32Array {
  return Float32Array.from(EGO_STATE_FIELDS, (field) => state[field]);
}
