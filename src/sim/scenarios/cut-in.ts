// Cut-in: on a highway a car in the next lane, a little ahead and slower, swerves into ego's lane. The defining
// event is the cutter entering ego's lane ahead of it; ego must open the gap again without braking into it.

import { buildHighway } from '../road/layouts/highway.js';
import { AgentFlag, AgentScript, type Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane } from './cast.js';

export function cutIn(seed: number): Scenario {
  const rng = familyRng('cut-in', seed);
  const { map, lanes } = buildHighway({ lanes: 3, length: 900 }, rng);
  const egoLane = lanes[1];
  const fromLeft = rng.chance(0.5);
  const cutterLane = fromLeft ? lanes[0] : lanes[2];
  const speed = rng.uniform(20, 25); // [m/s]
  const egoS = 100; // [m]
  const cutterS = egoS + rng.uniform(22, 30);
  const ego = onLane(map, egoLane, egoS, speed);
  const cutter = onLane(map, cutterLane, cutterS, speed - rng.uniform(0.5, 2), {
    flags: AgentFlag.noLaneChange,
    script: AgentScript.cutIn,
    scriptTime: rng.uniform(1, 2.5), // [s]
    scriptValue: fromLeft ? -1 : 1, // towards ego's lane
  });
  const others = fillLanes(
    map,
    {
      lanes,
      spacing: [40, 90],
      speedFactor: [0.7, 0.9],
      keepClear: lanes.map((laneId) => ({ laneId, from: egoS - 30, to: cutterS + 40 })),
    },
    rng,
  );
  return assemble({
    family: 'cut-in',
    seed,
    map,
    ego,
    others: [cutter, ...others],
    routeLanes: [egoLane],
    command: 'follow',
  });
}
