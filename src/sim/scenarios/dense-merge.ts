// Dense merge: ego joins a busy highway from an on-ramp and must find a gap before the acceleration lane ends.
// The defining event is ego entering the through lane.

import { buildMerge } from '../road/layouts/merge.js';
import type { Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane } from './cast.js';

export function denseMerge(seed: number): Scenario {
  const rng = familyRng('dense-merge', seed);
  const lanesPerDirection = rng.chance(0.5) ? 2 : 3;
  const merge = buildMerge({ lanes: lanesPerDirection, before: 300, zone: 220, after: 500 }, rng);
  const { map } = merge;
  const right = lanesPerDirection - 1;
  const routeLanes = [merge.ramp, merge.accelerationLane, merge.zone[right], merge.after[right]];
  const ego = onLane(map, merge.ramp, 70, rng.uniform(14, 18)); // [m] 50 m before the acceleration lane
  const others = fillLanes(
    map,
    {
      lanes: [...merge.before, ...merge.zone, ...merge.after],
      spacing: [30, 55],
      speedFactor: [0.6, 0.8],
      keepClear: [],
    },
    rng,
  );
  return assemble({ family: 'dense-merge', seed, map, ego, others, routeLanes, command: 'merge' });
}
