import { describe, expect, it } from 'vitest';
import type { RoadMap } from '../types.js';
import { EpisodeContext } from './context.js';
import { buildLog, junctionRoad, scenarioOn, twoLaneRoad, twoWayRoad } from './fixtures.js';
import { laneKeepingSeries } from './lane-keeping.js';
import { reduceMin } from './metric.js';

/** Ego at 10 m/s along y = 0, at y = offset for states 10 .. 10 + held - 1, routed along `route`. */
function lk(map: RoadMap, offset: number, held: number, route: readonly number[] = [0]): number {
  const y = (t: number) => (t >= 10 && t < 10 + held ? offset : 0);
  const log = buildLog({ steps: 60, agents: [{ at: (t) => ({ x: 10 + t, y: y(t), speed: 10 }) }] });
  return reduceMin(laneKeepingSeries(new EpisodeContext(scenarioOn(map, route), log))).value;
}

describe('LK: lane keeping', () => {
  it('fails after 2 s at 0.7 m off the centreline, not after 1.5 s', () => {
    expect(lk(twoWayRoad(), 0.7, 25)).toBe(0);
    expect(lk(twoWayRoad(), 0.7, 15)).toBe(1);
    expect(lk(twoWayRoad(), 0, 0)).toBe(1);
  });

  it('measures from the route, so a lane change held 2 s fails and one held 1.9 s passes', () => {
    // Ego moves into lane 1 (centred, 3.5 m from the route's lane 0) for 20 states (> 0.5 m for
    // ceil(2.0 / 0.1) = 20 consecutive states: fail) or 19 (pass). The nearest-lane rule saw 0 m and passed both.
    expect(lk(twoLaneRoad(), 3.5, 20)).toBe(0);
    expect(lk(twoLaneRoad(), 3.5, 19)).toBe(1);
  });

  it('skips junction states without resetting the run', () => {
    // Route 0 -> 1 -> 2 on the junction road, ego at x = 10.5 + t. Its centre is in the junction polygon
    // (x 95-125) at states 85 .. 114. Off by 0.7 m from state 70 to `last`: states 70-84 count (15), 85-114 are
    // skipped, 115 .. last count on: last = 118 gives 19 in a row (pass), last = 119 gives 20 (fail).
    const map = junctionRoad();
    const run = (last: number) => {
      const y = (t: number) => (t >= 70 && t <= last ? 0.7 : 0);
      const log = buildLog({ steps: 130, agents: [{ at: (t) => ({ x: 10.5 + t, y: y(t), speed: 10 }) }] });
      return reduceMin(laneKeepingSeries(new EpisodeContext(scenarioOn(map, [0, 1, 2]), log))).value;
    };
    expect(run(118)).toBe(1);
    expect(run(119)).toBe(0);
  });
});
