// Stalled vehicle or obstacle in lane: a broken-down car or debris blocks ego's lane on a two-lane street. The
// defining event is ego getting past it (by changing lanes) or stopping behind it, never hitting it.

import { buildStreet } from '../road/layouts/street.js';
import { AgentFlag, AgentKind, type Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane } from './cast.js';

export function stalledObstacle(seed: number): Scenario {
  const rng = familyRng('stalled-obstacle', seed);
  const { map, lanes } = buildStreet({ forward: 2, backward: 1, length: 450, crosswalkAt: null }, rng);
  const egoLane = lanes.forward[1];
  const egoS = 40; // [m]
  const blockS = egoS + rng.uniform(55, 85);
  const debris = rng.chance(0.3);
  const blocker = onLane(map, egoLane, blockS, 0, {
    kind: debris ? AgentKind.obstacle : AgentKind.vehicle,
    length: debris ? 1.5 : 5, // [m]
    width: debris ? 1.2 : 2, // [m]
    flags: AgentFlag.stalled,
  });
  const ego = onLane(map, egoLane, egoS, rng.uniform(9, 12));
  const others = fillLanes(
    map,
    {
      lanes: [lanes.forward[0], ...lanes.backward],
      spacing: [60, 120],
      speedFactor: [0.7, 0.95],
      keepClear: [{ laneId: lanes.forward[0], from: 0, to: blockS + 60 }],
    },
    rng,
  );
  return assemble({
    family: 'stalled-obstacle',
    seed,
    map,
    ego,
    others: [blocker, ...others],
    routeLanes: [egoLane],
    command: 'follow',
  });
}
