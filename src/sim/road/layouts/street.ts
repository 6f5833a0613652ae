// An urban two-way street with gentle bends and an optional mid-block crosswalk with yield lines. Seeded; not
// junctions (intersection.ts).

import type { Rng } from '../../../core/rng.js';
import type { RoadMap } from '../../types.js';
import { MapBuilder } from '../builder.js';
import { lanePose, projectToLane } from '../geometry.js';
import { referenceLine } from '../paths.js';
import { gentleCurves } from './highway.js';
import { addRoad, type RoadLanes } from './road.js';

export const URBAN_LANE_WIDTH = 3.5; // [m]
export const URBAN_SPEED_LIMIT = 13.9; // [m/s] (50 km/h)
export const CROSSWALK_WIDTH = 3; // [m] along the road
export const STOP_BEFORE_CROSSWALK = 1; // [m] between a stop line and the crosswalk it guards

export interface StreetSpec {
  readonly forward: number;
  readonly backward: number;
  readonly length: number; // [m]
  readonly crosswalkAt: number | null; // [m] along the street; null for none
}

export interface Street {
  readonly map: RoadMap;
  readonly lanes: RoadLanes;
}

export function buildStreet(spec: StreetSpec, rng: Rng): Street {
  const b = new MapBuilder();
  const line = referenceLine([0, 0], 0, gentleCurves(rng, spec.length, 150));
  const lanes = addRoad(b, line, {
    forward: spec.forward,
    backward: spec.backward,
    width: URBAN_LANE_WIDTH,
    speedLimit: URBAN_SPEED_LIMIT,
  });
  if (spec.crosswalkAt !== null) addMidBlockCrosswalk(b, lanes, spec.crosswalkAt);
  return { map: b.build(), lanes };
}

/** A crosswalk across every lane at `at` metres along the forward lanes, with a yield line before it each way. */
function addMidBlockCrosswalk(b: MapBuilder, lanes: RoadLanes, at: number): void {
  const inner = b.lane(lanes.forward[0]);
  const pose = lanePose(inner, at);
  const ux = Math.cos(pose.heading);
  const uy = Math.sin(pose.heading);
  const w = inner.width;
  const right = (lanes.forward.length - 0.5) * w; // [m] from the inner lane's centre to the road's right edge
  const left = (lanes.backward.length + 0.5) * w; // to its left edge
  const corner = (along: number, leftward: number) =>
    [pose.x + ux * along - uy * leftward, pose.y + uy * along + ux * leftward] as const;
  b.addCrosswalk(
    [corner(0, -right), corner(CROSSWALK_WIDTH, -right), corner(CROSSWALK_WIDTH, left), corner(0, left)],
    [...lanes.forward, ...lanes.backward],
  );
  const [nearX, nearY] = corner(0, 0);
  const [farX, farY] = corner(CROSSWALK_WIDTH, 0);
  for (const id of lanes.forward) {
    b.stopLine(id, projectToLane(b.lane(id), nearX, nearY).s - STOP_BEFORE_CROSSWALK, -1);
  }
  for (const id of lanes.backward) {
    b.stopLine(id, projectToLane(b.lane(id), farX, farY).s - STOP_BEFORE_CROSSWALK, -1);
  }
}
