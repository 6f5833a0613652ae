// A divided highway: one carriageway of several lanes along a gently curving line, seeded. Not merges (merge.ts).

import type { Rng } from '../../../core/rng.js';
import type { RoadMap } from '../../types.js';
import { MapBuilder } from '../builder.js';
import { type Piece, referenceLine } from '../paths.js';
import { addRoad } from './road.js';

export const HIGHWAY_LANE_WIDTH = 3.75; // [m]
export const HIGHWAY_SPEED_LIMIT = 30; // [m/s] (108 km/h)

export interface HighwaySpec {
  readonly lanes: number;
  readonly length: number; // [m]
}

export interface Highway {
  readonly map: RoadMap;
  readonly lanes: readonly number[]; // leftmost first
}

/** Straight and circular pieces of `length` metres in all, radii at least 400 m. */
export function gentleCurves(rng: Rng, length: number, minRadius: number): Piece[] {
  const pieces: Piece[] = [{ length: 100, curvature: 0 }];
  let left = length - 100;
  while (left > 0) {
    const piece = Math.min(left, rng.uniform(120, 250));
    const curvature = rng.chance(0.35)
      ? 0
      : (rng.chance(0.5) ? 1 : -1) / rng.uniform(minRadius, 3 * minRadius);
    pieces.push({ length: piece, curvature });
    left -= piece;
  }
  return pieces;
}

export function buildHighway(spec: HighwaySpec, rng: Rng): Highway {
  const b = new MapBuilder();
  const line = referenceLine([0, 0], 0, gentleCurves(rng, spec.length, 400));
  const road = addRoad(b, line, {
    forward: spec.lanes,
    backward: 0,
    width: HIGHWAY_LANE_WIDTH,
    speedLimit: HIGHWAY_SPEED_LIMIT,
  });
  return { map: b.build(), lanes: road.forward };
}
