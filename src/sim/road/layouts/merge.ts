// A highway with an on-ramp: the ramp curves in from the right and becomes an acceleration lane alongside the
// rightmost lane, which ends; traffic on it must change left. Seeded; not the plain highway (highway.ts).

import type { Rng } from '../../../core/rng.js';
import type { RoadMap } from '../../types.js';
import { MapBuilder } from '../builder.js';
import { bezierConnector, offsetLine, referenceLine, startHeading } from '../paths.js';
import { HIGHWAY_LANE_WIDTH, HIGHWAY_SPEED_LIMIT } from './highway.js';
import { addRoad, continueRoad } from './road.js';

export const RAMP_LENGTH = 120; // [m] of curved ramp before the acceleration lane
export const RAMP_SPEED_LIMIT = 22; // [m/s]

export interface MergeSpec {
  readonly lanes: number; // through lanes
  readonly before: number; // [m] of highway before the merge zone
  readonly zone: number; // [m] length of the acceleration lane
  readonly after: number; // [m] of highway after it
}

export interface Merge {
  readonly map: RoadMap;
  readonly before: readonly number[]; // through lanes before the zone, leftmost first
  readonly zone: readonly number[]; // through lanes alongside the acceleration lane
  readonly after: readonly number[];
  readonly ramp: number; // the curved ramp
  readonly accelerationLane: number; // ends at the end of the zone
}

export function buildMerge(spec: MergeSpec, rng: Rng): Merge {
  const b = new MapBuilder();
  const w = HIGHWAY_LANE_WIDTH;
  const bend = (rng.chance(0.5) ? 1 : -1) / rng.uniform(900, 1500); // [1/m] a slight bend after the zone
  const roadSpec = { forward: spec.lanes, backward: 0, width: w, speedLimit: HIGHWAY_SPEED_LIMIT };
  const first = referenceLine([0, 0], 0, [{ length: spec.before, curvature: 0 }]);
  const middle = referenceLine(first[first.length - 1], 0, [{ length: spec.zone, curvature: 0 }]);
  const last = referenceLine(middle[middle.length - 1], 0, [{ length: spec.after, curvature: bend }]);
  const before = addRoad(b, first, roadSpec);
  const zone = addRoad(b, middle, roadSpec);
  const after = addRoad(b, last, roadSpec);
  continueRoad(b, before, zone);
  continueRoad(b, zone, after);

  const accelerationLine = offsetLine(middle, -(spec.lanes + 0.5) * w);
  const accelerationLane = b.addLane({ points: accelerationLine, width: w, speedLimit: HIGHWAY_SPEED_LIMIT });
  b.sideBySide(zone.forward[spec.lanes - 1], accelerationLane);
  const entry = accelerationLine[0];
  const rampStart = [entry[0] - RAMP_LENGTH, entry[1] - 4 * w] as const;
  const ramp = b.addLane({
    points: bezierConnector(rampStart, 0, entry, startHeading(middle)),
    width: w,
    speedLimit: RAMP_SPEED_LIMIT,
  });
  b.link(ramp, accelerationLane);
  return {
    map: b.build(),
    before: before.forward,
    zone: zone.forward,
    after: after.forward,
    ramp,
    accelerationLane,
  };
}
