// The kinematic bicycle model of highway-env, driven by (acceleration, curvature), and its inverse that turns
// logged motion back into controls. Ego's dynamics; background vehicles move along lanes (traffic.ts).

import { wrapAngle } from '../../core/angle.js';

export const MAX_STEER = Math.PI / 3; // [rad] highway-env's steering limit
export const MAX_ACCEL = 6; // [m/s2] magnitude limit on commanded acceleration

/** A pose and speed of the vehicle's centre. */
export interface BicycleState {
  x: number; // [m]
  y: number; // [m]
  heading: number; // [rad]
  speed: number; // [m/s], never negative: ego does not reverse
}

const MAX_SLIP = Math.atan(0.5 * Math.tan(MAX_STEER)); // [rad] beta at full steering lock

/** The tightest path curvature a car of length L can drive [1/m]: sin(beta_max) / (L / 2). */
export function maxCurvature(length: number): number {
  return Math.sin(MAX_SLIP) / (length / 2);
}

/** The slip angle beta that makes the centre's path have curvature k for a car of length L: sin(beta) = k L / 2. */
export function slipAngle(curvature: number, length: number): number {
  const slip = Math.asin(Math.max(-1, Math.min(1, (curvature * length) / 2)));
  return Math.max(-MAX_SLIP, Math.min(MAX_SLIP, slip));
}

/**
 * One Euler step of dt seconds, in place: beta from curvature (steering limited to +-60 deg), then
 * x' = v cos(psi + beta), y' = v sin(psi + beta), psi' = v sin(beta) / (L / 2), v' = a (clipped at 0 from below).
 * Returns the yaw rate used [rad/s].
 */
export function bicycleStep(
  s: BicycleState,
  accel: number,
  curvature: number,
  length: number,
  dt: number,
): number {
  const a = Math.max(-MAX_ACCEL, Math.min(MAX_ACCEL, accel));
  const beta = slipAngle(curvature, length);
  const v = s.speed;
  const yawRate = (v * Math.sin(beta)) / (length / 2);
  s.x += v * Math.cos(s.heading + beta) * dt;
  s.y += v * Math.sin(s.heading + beta) * dt;
  s.heading = wrapAngle(s.heading + yawRate * dt);
  s.speed = Math.max(0, v + a * dt);
  return yawRate;
}

/**
 * The controls that take `from` to `to` in one step of dt seconds: acceleration from the speed change and
 * curvature from the heading change over the distance covered (0 when the car does not move).
 */
export function inverseBicycle(
  from: BicycleState,
  to: BicycleState,
  dt: number,
): { accel: number; curvature: number } {
  const accel = (to.speed - from.speed) / dt;
  const moved = from.speed * dt;
  const curvature = moved > 1e-6 ? wrapAngle(to.heading - from.heading) / moved : 0;
  return { accel, curvature };
}
