// Nominal urban driving: ego approaches a signalised four-way junction among traffic and crossing pedestrians
// and goes straight, left or right as its route says. The defining event is ego through the junction on its
// route, obeying the light.

import { buildIntersection, type Turn } from '../road/layouts/intersection.js';
import type { Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { onLane } from './cast.js';
import {
  canStop,
  crosswalkPedestrians,
  junctionTraffic,
  routeThrough,
  stopS,
  TURN_COMMAND,
} from './junction.js';

export function nominalUrban(seed: number): Scenario {
  const rng = familyRng('nominal-urban', seed);
  const lanesPerDirection = rng.chance(0.5) ? 1 : 2;
  const junction = buildIntersection(
    { kind: 'four-way', lanes: lanesPerDirection, armLength: 140, green: rng.uniform(10, 14) },
    rng,
  );
  const { map } = junction;
  const from = rng.int(4);
  const turn = rng.pick<Turn>(['straight', 'straight', 'left', 'right']);
  const laneIndex =
    turn === 'left' ? 0 : turn === 'right' ? lanesPerDirection - 1 : rng.int(lanesPerDirection);
  const routeLanes = routeThrough(junction, from, laneIndex, turn);
  const egoS = stopS(map, routeLanes[0]) - rng.uniform(45, 75);
  const ego = canStop(map, onLane(map, routeLanes[0], egoS, rng.uniform(8, 11)));
  const lanes = junction.arms.flatMap((arm) => [...arm.incoming, ...arm.outgoing]);
  const others = [
    ...junctionTraffic(map, lanes, [{ laneId: routeLanes[0], from: egoS - 15, to: egoS + 25 }], rng),
    ...crosswalkPedestrians(junction, 2, rng),
  ];
  return assemble({
    family: 'nominal-urban',
    seed,
    map,
    ego,
    others,
    routeLanes,
    command: TURN_COMMAND[turn],
  });
}
