// The Intelligent Driver Model (Treiber et al.) with highway-env's defaults: longitudinal acceleration from the
// own speed, the desired speed and the gap to a leader. Not lane changes (mobil.ts).

export interface IdmParams {
  readonly maxAccel: number; // a0 [m/s2]
  readonly comfortBrake: number; // b [m/s2]
  readonly timeHeadway: number; // T [s]
  readonly exponent: number; // delta
  readonly minGap: number; // s0, bumper to bumper [m]
  readonly accelLimit: number; // output clipped to +- this [m/s2]
}

/**
 * highway-env: a0 3, b 5, T 1.5, delta 4, s0 10 m centre to centre for 5 m cars, i.e. 5 m bumper to bumper,
 * output clipped to +-6 m/s2 (shared/REFERENCE.md).
 */
export const HIGHWAY_ENV_IDM: IdmParams = {
  maxAccel: 3, // [m/s2]
  comfortBrake: 5, // [m/s2]
  timeHeadway: 1.5, // [s]
  exponent: 4,
  minGap: 5, // [m]
  accelLimit: 6, // [m/s2]
};

/** No leader: pass as the gap. */
export const FREE_ROAD = Number.POSITIVE_INFINITY;

/**
 * IDM acceleration [m/s2]: a0 [1 - (max(v, 0) / v0)^delta - (s* / gap)^2], s* = s0 + v T + v dv / (2 sqrt(a0 b)),
 * dv = v - leaderSpeed; with gap = FREE_ROAD the interaction term is dropped. `gap` is bumper to bumper [m].
 */
export function idmAccel(
  p: IdmParams,
  speed: number,
  desiredSpeed: number,
  gap: number,
  leaderSpeed: number,
): number {
  const v = Math.max(speed, 0);
  let a = p.maxAccel * (1 - (desiredSpeed > 0 ? (v / desiredSpeed) ** p.exponent : 1));
  if (gap !== FREE_ROAD) {
    const desiredGap =
      p.minGap + v * p.timeHeadway + (v * (v - leaderSpeed)) / (2 * Math.sqrt(p.maxAccel * p.comfortBrake));
    const g = Math.max(gap, 0.01);
    a -= p.maxAccel * (Math.max(desiredGap, p.minGap) / g) ** 2;
  }
  return Math.min(p.accelLimit, Math.max(-p.accelLimit, a));
}
