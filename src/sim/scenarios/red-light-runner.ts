// Red-light runner: ego crosses a junction on green while a car on the cross street ignores its red and arrives
// at the same time. The defining event is the runner crossing its red stop line; ego must yield to it.

import { buildIntersection } from '../road/layouts/intersection.js';
import { AgentFlag, type Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { onLane } from './cast.js';
import { junctionTraffic, routeThrough, stopS } from './junction.js';

export function redLightRunner(seed: number): Scenario {
  const rng = familyRng('red-light-runner', seed);
  const lanesPerDirection = rng.chance(0.5) ? 1 : 2;
  const half = 0.5; // [s] of jitter in the runner's arrival
  // Group 0 (east-west) is green from t = 0 for at least 12 s, so ego has green all the way.
  const junction = buildIntersection(
    { kind: 'four-way', lanes: lanesPerDirection, armLength: 140, green: 14, offset: rng.uniform(0, 2) },
    rng,
  );
  const { map } = junction;
  const from = rng.chance(0.5) ? 0 : 2;
  const laneIndex = rng.int(lanesPerDirection);
  const routeLanes = routeThrough(junction, from, laneIndex, 'straight');
  const egoSpeed = rng.uniform(9, 12); // [m/s]
  const egoS = stopS(map, routeLanes[0]) - rng.uniform(30, 45);
  const ego = onLane(map, routeLanes[0], egoS, egoSpeed);
  // The runner reaches the junction centre when ego would, give or take `half` seconds.
  const egoToCentre = map.lanes[routeLanes[0]].length - egoS + junction.halfSize; // [m]
  const arrival = egoToCentre / egoSpeed + rng.uniform(-half, half); // [s]
  const runnerFrom = rng.chance(0.5) ? 1 : 3;
  const runnerArm = junction.arms.find((a) => a.direction === runnerFrom)!;
  const runnerLane = runnerArm.incoming[lanesPerDirection - 1];
  const runnerSpeed = rng.uniform(11, 14); // [m/s]
  const runnerS = Math.max(5, map.lanes[runnerLane].length + junction.halfSize - runnerSpeed * arrival);
  const runner = onLane(map, runnerLane, runnerS, runnerSpeed, {
    flags: AgentFlag.ignoresLights,
    routeSeed: 7,
  });
  const lanes = junction.arms
    .flatMap((arm) => [...arm.incoming, ...arm.outgoing])
    .filter((id) => id !== runnerLane);
  const others = junctionTraffic(
    map,
    lanes,
    [{ laneId: routeLanes[0], from: egoS - 15, to: egoS + 200 }],
    rng,
  );
  return assemble({
    family: 'red-light-runner',
    seed,
    map,
    ego,
    others: [runner, ...others],
    routeLanes,
    command: 'go-straight',
  });
}
