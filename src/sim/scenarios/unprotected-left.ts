// Unprotected left turn: ego turns left on a green (no arrow) across a stream of oncoming traffic. The defining
// event is ego entering the left-turn connector, which it may do only in a gap in the oncoming stream.

import { buildIntersection } from '../road/layouts/intersection.js';
import type { Scenario } from '../types.js';
import { assemble, familyRng } from './assemble.js';
import { onLane } from './cast.js';
import { junctionTraffic, routeThrough, stopS } from './junction.js';

export function unprotectedLeft(seed: number): Scenario {
  const rng = familyRng('unprotected-left', seed);
  const lanesPerDirection = rng.chance(0.5) ? 1 : 2;
  // Group 0 (east-west) turns green at t = 0 give or take 2 s: ego arrives on green.
  const junction = buildIntersection(
    {
      kind: 'four-way',
      lanes: lanesPerDirection,
      armLength: 140,
      green: rng.uniform(12, 16),
      offset: rng.uniform(0, 2),
    },
    rng,
  );
  const { map } = junction;
  const from = rng.chance(0.5) ? 0 : 2;
  const routeLanes = routeThrough(junction, from, 0, 'left');
  const egoS = stopS(map, routeLanes[0]) - rng.uniform(20, 40);
  const ego = onLane(map, routeLanes[0], egoS, rng.uniform(6, 9));
  const oncoming = junction.arms.find((a) => a.direction === (from + 2) % 4)!;
  const others = junctionTraffic(
    map,
    [...oncoming.incoming, ...junction.arms.flatMap((a) => a.outgoing)],
    [],
    rng,
    [30, 70],
  );
  return assemble({ family: 'unprotected-left', seed, map, ego, others, routeLanes, command: 'turn-left' });
}
