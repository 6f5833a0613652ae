// Ego's Kinematics for action tokens: the world's kinematic bicycle (sim/agents/bicycle.ts) behind the
// labels' Kinematics interface. Not a motion model of its own; forward and inverse are the simulator's.

import type { Kinematics } from '../labels/action-tokens.js';
import { bicycleStep, inverseBicycle } from '../sim/agents/bicycle.js';
import { CAR_LENGTH } from '../sim/scenarios/cast.js'; // ego is a car like the others (shared/REFERENCE.md)

export const egoKinematics: Kinematics = {
  forward(pose, accel, curvature, dt) {
    const state = { x: pose.x, y: pose.y, heading: pose.heading, speed: pose.speed }; // a fresh pose, one shape
    bicycleStep(state, accel, curvature, CAR_LENGTH, dt);
    return state;
  },
  inverse: (from, to, dt) => inverseBicycle(from, to, dt),
};
