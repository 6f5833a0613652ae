// The lanes a background vehicle will drive next, and where other agents and stop lines lie along them. Shared
// by car-following (traffic.ts) and lane changes; not ego's route (the expert plans its own path).

import { wrapAngle } from '../../core/angle.js';
import { hash32 } from '../../core/rng.js';
import { lanePose } from '../road/geometry.js';
import type { Lane, RoadMap } from '../types.js';

export const PATH_LANES = 4; // lanes a path holds at most
const LEFT_TURN = 0.6; // [rad] heading change above which a connector is a left turn

const choices = new WeakMap<Lane, readonly number[]>();

/**
 * The successors a background vehicle may take from `lane`: all but left turns (background traffic does not
 * turn left across oncoming lanes), unless a left turn is all there is.
 */
function successorChoices(map: RoadMap, lane: Lane): readonly number[] {
  let options = choices.get(lane);
  if (!options) {
    const turn = (id: number) => {
      const next = map.lanes[id];
      return wrapAngle(lanePose(next, next.length).heading - lanePose(next, 0).heading);
    };
    const straightOrRight = lane.successors.filter((id) => turn(id) < LEFT_TURN);
    options = straightOrRight.length > 0 ? straightOrRight : lane.successors;
    choices.set(lane, options);
  }
  return options;
}

/** The lane a vehicle with `routeSeed` takes after `laneId`; -1 at a dead end. Deterministic per vehicle and lane. */
export function nextLane(map: RoadMap, laneId: number, routeSeed: number): number {
  const options = successorChoices(map, map.lanes[laneId]);
  if (options.length === 0) return -1;
  if (options.length === 1) return options[0];
  return options[hash32(routeSeed ^ Math.imul(laneId + 1, 0x9e3779b1)) % options.length];
}

/** A vehicle's lanes ahead: ids (up to PATH_LANES) and the arc length at which each starts, from its centre. */
export class LanePath {
  readonly lanes = new Int32Array(PATH_LANES);
  readonly offsets = new Float64Array(PATH_LANES); // [m] path distance from the vehicle to each lane's s = 0
  count = 0;

  /** Fills the path from `laneId` at arc length `s`, at least `reach` metres ahead. */
  fill(map: RoadMap, laneId: number, s: number, routeSeed: number, reach: number): void {
    this.count = 0;
    let id = laneId;
    let offset = -s;
    while (id >= 0 && this.count < PATH_LANES) {
      this.lanes[this.count] = id;
      this.offsets[this.count] = offset;
      this.count++;
      offset += map.lanes[id].length;
      if (offset > reach) break;
      id = nextLane(map, id, routeSeed);
    }
  }

  /** Distance along the path to arc length s of lane `laneId` [m]; NaN when the lane is not on the path. */
  distanceTo(laneId: number, s: number): number {
    for (let k = 0; k < this.count; k++) if (this.lanes[k] === laneId) return this.offsets[k] + s;
    return Number.NaN;
  }
}
