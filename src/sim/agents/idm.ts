// The Intelligent Driver Model (Treiber et al.) in highway-env's form (IDMVehicle.acceleration): longitudinal
// acceleration from the own speed, the desired speed and the centre-to-centre distance to a leader. Not lane
// changes (mobil.ts).

export interface IdmParams {
  readonly maxAccel: number; // a0 [m/s2]
  readonly comfortBrake: number; // b [m/s2]
  readonly timeHeadway: number; // T [s]
  readonly exponent: number; // delta
  /** d0, centre to centre [m]: the bumper gap wanted at standstill plus one vehicle length (highway-env's form). */
  readonly jamDistance: number;
  readonly accelLimit: number; // commands are clipped to +- this [m/s2] (clipAccel)
}

/** The vehicle length highway-env's jam distance counts in (ControlledVehicle.LENGTH) [m]. */
export const VEHICLE_LENGTH = 5; // [m]

/**
 * highway-env's IDMVehicle: a0 3 (COMFORT_ACC_MAX), b 5 (-COMFORT_ACC_MIN), T 1.5, delta 4,
 * d0 = 5 m + the 5 m length = 10 m centre to centre (DISTANCE_WANTED), commands clipped to +-6 m/s2 (ACC_MAX).
 */
export const HIGHWAY_ENV_IDM: IdmParams = {
  maxAccel: 3, // [m/s2]
  comfortBrake: 5, // [m/s2]
  timeHeadway: 1.5, // [s]
  exponent: 4,
  jamDistance: 5 + VEHICLE_LENGTH, // [m]
  accelLimit: 6, // [m/s2]
};

/** No leader: pass as the distance. */
export const FREE_ROAD = Number.POSITIVE_INFINITY;

const NOT_ZERO = 0.01; // highway-env's utils.not_zero epsilon

/** highway-env's utils.not_zero: x, or +-0.01 when |x| is smaller. */
function notZero(x: number): number {
  if (Math.abs(x) > NOT_ZERO) return x;
  return x >= 0 ? NOT_ZERO : -NOT_ZERO;
}

/**
 * IDM acceleration [m/s2], unclipped, as highway-env's IDMVehicle.acceleration computes it:
 * a0 [1 - (max(v, 0) / |v0|)^delta] - a0 (d* / d)^2 with d* = d0 + v T + v dv / (2 sqrt(a0 b)), dv = v -
 * leaderSpeed, d the centre-to-centre distance along the lane [m] (`lane_distance_to`); d* is not clamped (a
 * much faster leader makes it negative, and its square still brakes, as there). With d = FREE_ROAD the
 * interaction term is dropped. MOBIL compares these raw values; a vehicle's command is clipAccel of it.
 */
export function idmAccel(
  p: IdmParams,
  speed: number,
  desiredSpeed: number,
  distance: number,
  leaderSpeed: number,
): number {
  const free = p.maxAccel * (1 - (Math.max(speed, 0) / Math.abs(notZero(desiredSpeed))) ** p.exponent);
  if (distance === FREE_ROAD) return free;
  const desired =
    p.jamDistance +
    speed * p.timeHeadway +
    (speed * (speed - leaderSpeed)) / (2 * Math.sqrt(p.maxAccel * p.comfortBrake));
  return free - p.maxAccel * (desired / notZero(distance)) ** 2;
}

/** An acceleration clipped to the model's command limit +-accelLimit (highway-env clips to ACC_MAX in act()). */
export function clipAccel(p: IdmParams, accel: number): number {
  return Math.min(p.accelLimit, Math.max(-p.accelLimit, accel));
}
