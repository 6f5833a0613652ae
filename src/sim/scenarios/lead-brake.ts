// Lead vehicle emergency braking: on an urban street the car ahead of ego brakes hard to a stop a few seconds
// in. The defining event is the lead's stop; ego must stop behind it without a collision.

import { buildStreet } from '../road/layouts/street.js';
import { AgentScript, type Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { fillLanes, onLane } from './cast.js';

export function leadBrake(seed: number): Scenario {
  const rng = familyRng('lead-brake', seed);
  const { map, lanes } = buildStreet({ forward: 2, backward: 1, length: 500, crosswalkAt: null }, rng);
  const egoLane = lanes.forward[1];
  const speed = rng.uniform(9, 12); // [m/s]
  const egoS = 40; // [m]
  const leadS = egoS + rng.uniform(22, 32);
  const ego = onLane(map, egoLane, egoS, speed);
  const lead = onLane(map, egoLane, leadS, speed, {
    script: AgentScript.brake,
    scriptTime: rng.uniform(3, 6), // [s]
    scriptValue: rng.uniform(4, 6), // [m/s2]
    routeSeed: 1,
  });
  const others = fillLanes(
    map,
    {
      lanes: [lanes.forward[0], ...lanes.backward],
      spacing: [25, 60],
      speedFactor: [0.7, 0.95],
      keepClear: [{ laneId: lanes.forward[0], from: egoS - 20, to: leadS + 10 }],
    },
    rng,
  );
  return assemble({
    family: 'lead-brake',
    seed,
    map,
    ego,
    others: [lead, ...others],
    routeLanes: [egoLane],
    command: 'follow',
  });
}
