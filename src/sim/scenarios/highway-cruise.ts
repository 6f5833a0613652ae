// Highway cruise: ego in a middle lane of a three- or four-lane highway among IDM/MOBIL traffic. The defining
// event is sustained car-following and lane changes around ego. Also the 50-vehicle benchmark scene.

import { buildHighway } from '../road/layouts/highway.js';
import type { Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane } from './cast.js';

export interface HighwayOptions {
  readonly lanes?: number; // default: 3 or 4, seeded
  readonly length?: number; // [m] default 1200
  readonly spacing?: readonly [number, number]; // [m] between vehicles along a lane, default 30-70
}

export function highwayCruise(seed: number, options: HighwayOptions = {}): Scenario {
  const rng = familyRng('highway-cruise', seed);
  const laneCount = options.lanes ?? (rng.chance(0.5) ? 3 : 4);
  const { map, lanes } = buildHighway({ lanes: laneCount, length: options.length ?? 1200 }, rng);
  const egoLane = lanes[1];
  const egoS = 150; // [m]
  const ego = onLane(map, egoLane, egoS, rng.uniform(20, 26));
  const others = fillLanes(
    map,
    {
      lanes,
      spacing: options.spacing ?? [30, 70],
      speedFactor: [0.7, 0.95],
      keepClear: lanes.map((laneId) => ({
        laneId,
        from: egoS - 25,
        to: egoS + (laneId === egoLane ? 40 : 15),
      })),
    },
    rng,
  );
  return assemble({
    family: 'highway-cruise',
    seed,
    map,
    ego,
    others,
    routeLanes: [egoLane],
    command: 'follow',
  });
}
