// MOBIL lane-change decisions (Kesting, Treiber, Helbing) with highway-env's defaults: is a change to a
// neighbouring lane safe for the new follower and worth it for the changer? Not the IDM itself (idm.ts).

export interface MobilParams {
  readonly politeness: number; // p
  readonly threshold: number; // minimum incentive [m/s2]
  readonly maxImposedBraking: number; // the new follower may be made to brake at most this [m/s2]
  readonly checkInterval: number; // [s] between decisions
  readonly minSpeed: number; // [m/s] below this no change is considered
}

/** highway-env: politeness 0, threshold 0.2 m/s2, imposed braking 2 m/s2, checked every 1 s from 1 m/s. */
export const HIGHWAY_ENV_MOBIL: MobilParams = {
  politeness: 0,
  threshold: 0.2, // [m/s2]
  maxImposedBraking: 2, // [m/s2]
  checkInterval: 1, // [s]
  minSpeed: 1, // [m/s]
};

/** The IDM accelerations a lane change would change [m/s2]; "after" values are with the change made. */
export interface LaneChangeAccels {
  readonly selfBefore: number; // a_c: the changer in its lane
  readonly selfAfter: number; // a~_c: the changer in the target lane
  readonly newFollowerBefore: number; // a_n: the target lane's follower, before
  readonly newFollowerAfter: number; // a~_n: and behind the changer
  readonly oldFollowerBefore: number; // a_o: the changer's follower, behind it
  readonly oldFollowerAfter: number; // a~_o: and behind the changer's leader
}

/**
 * MOBIL: change when safe (a~_n >= -maxImposedBraking) and when the incentive
 * (a~_c - a_c) + p [(a~_n - a_n) + (a~_o - a_o)] reaches the threshold.
 */
export function mobilWantsChange(p: MobilParams, a: LaneChangeAccels): boolean {
  if (a.newFollowerAfter < -p.maxImposedBraking) return false;
  const own = a.selfAfter - a.selfBefore;
  const others = a.newFollowerAfter - a.newFollowerBefore + (a.oldFollowerAfter - a.oldFollowerBefore);
  return own + p.politeness * others >= p.threshold;
}
