// Jaywalker: a pedestrian steps off the kerb mid-block, away from any crosswalk, and crosses the street in front
// of ego. The defining event is the pedestrian in ego's lane; ego must stop or pass well clear.

import { lanePose } from '../road/geometry.js';
import { buildStreet } from '../road/layouts/street.js';
import type { Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane, WALKING_SPEED, walker } from './cast.js';

const KERB_OFFSET = 1.5; // [m] from the road edge where the pedestrian waits

export function jaywalker(seed: number): Scenario {
  const rng = familyRng('jaywalker', seed);
  const { map, lanes } = buildStreet({ forward: 2, backward: 1, length: 400, crosswalkAt: null }, rng);
  const egoLane = lanes.forward[1];
  const lane = map.lanes[egoLane];
  const speed = rng.uniform(9, 12); // [m/s]
  const egoS = 40; // [m]
  const crossS = egoS + rng.uniform(50, 70);
  // Ego is about `reach` metres away when the pedestrian steps into its lane.
  const reach = rng.uniform(28, 40); // [m]
  const pose = lanePose(lane, crossS);
  const toEdge = lane.width / 2 + KERB_OFFSET; // [m] from the kerb to ego's lane
  const startTime = Math.max(0, (crossS - egoS - reach) / speed - (KERB_OFFSET + 0.5) / WALKING_SPEED);
  const roadWidth = (lanes.forward.length + lanes.backward.length) * lane.width;
  const left = pose.heading + Math.PI / 2;
  const pedestrian = walker(
    pose.x + Math.sin(pose.heading) * toEdge,
    pose.y - Math.cos(pose.heading) * toEdge,
    left,
    startTime,
    roadWidth + 2 * KERB_OFFSET,
  );
  const ego = onLane(map, egoLane, egoS, speed);
  const others = fillLanes(
    map,
    {
      lanes: [lanes.forward[0], ...lanes.backward],
      spacing: [40, 80],
      speedFactor: [0.7, 0.95],
      keepClear: [{ laneId: lanes.forward[0], from: egoS - 20, to: crossS + 20 }],
    },
    rng,
  );
  return assemble({
    family: 'jaywalker',
    seed,
    map,
    ego,
    others: [pedestrian, ...others],
    routeLanes: [egoLane],
    command: 'follow',
  });
}
