// A straight-through road of parallel lanes along a reference line: lanes in the line's direction on its right,
// oncoming lanes on its left. The building block of every layout; not junctions (intersection.ts).

import type { MapBuilder } from '../builder.js';
import { offsetLine, type Point } from '../paths.js';

export interface RoadSpec {
  readonly forward: number; // lanes in the reference line's direction
  readonly backward: number; // oncoming lanes
  readonly width: number; // lane width [m]
  readonly speedLimit: number; // [m/s]
}

/** Lane ids of a road, innermost (next to the centre line) first. */
export interface RoadLanes {
  readonly forward: readonly number[];
  readonly backward: readonly number[];
}

/** Adds the lanes of a road along `line`, with neighbours and oncoming lanes linked. */
export function addRoad(b: MapBuilder, line: readonly Point[], spec: RoadSpec): RoadLanes {
  const lanes = (count: number, side: 1 | -1) =>
    Array.from({ length: count }, (_, i) => {
      const offset = offsetLine(line, side * (i + 0.5) * spec.width);
      return b.addLane({
        points: side === -1 ? offset : offset.slice().reverse(),
        width: spec.width,
        speedLimit: spec.speedLimit,
      });
    });
  const forward = lanes(spec.forward, -1);
  const backward = lanes(spec.backward, 1);
  for (const group of [forward, backward]) {
    for (let i = 1; i < group.length; i++) b.sideBySide(group[i - 1], group[i]);
  }
  if (forward.length > 0 && backward.length > 0) b.opposite(forward[0], backward[0]);
  return { forward, backward };
}

/** Links the lanes of road `a` to the matching lanes of road `b` that continues it (same lane counts). */
export function continueRoad(builder: MapBuilder, a: RoadLanes, b: RoadLanes): void {
  for (let i = 0; i < a.forward.length; i++) builder.link(a.forward[i], b.forward[i]);
  for (let i = 0; i < b.backward.length; i++) builder.link(b.backward[i], a.backward[i]);
}
