import { describe, expect, it } from 'vitest';
import type { RoadMap } from '../types.js';
import { EpisodeContext } from './context.js';
import { directionSeries } from './direction.js';
import { buildLog, scenarioOn, twoLaneRoad, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';

/** Ego eastbound at `speed` on y = `y` for `steps` steps from x = 10, routed along lane 0. */
function ddc(speed: number, y: number, steps: number, map: RoadMap = twoWayRoad()): number {
  const log = buildLog({ steps, agents: [{ at: (t) => ({ x: 10 + speed * t * 0.1, y, speed }) }] });
  return reduceMin(directionSeries(new EpisodeContext(scenarioOn(map), log))).value;
}

describe('DDC: driving-direction compliance', () => {
  it('sums 11 states (1.1 s): 1.9 m/s for 1.1 s in the oncoming lane gives 0.5', () => {
    // y = 2.0: ego's centre is in westbound lane 1 (|2.0 - 3.5| <= 1.75), not in route lane 0 (|2.0| > 1.75).
    // 11 steps at 0.1 s (12 states, 1.1 s): each state after the first adds 1.9 * 0.1 = 0.19 m. NAVSIM sums
    // states t - 10 .. t: at t = 11 that is 11 * 0.19 = 2.09 m, not < 2 -> 0.5. The old 10-step window summed
    // 1.9 m < 2 -> 1.
    expect(ddc(1.9, 2.0, 11)).toBe(0.5);
    expect(ddc(1.8, 2.0, 11)).toBe(1); // 11 * 0.18 = 1.98 m < 2
    expect(ddc(6, 2.0, 20)).toBe(0); // 11 * 0.6 = 6.6 m, not < 6
  });

  it('counts off-route lanes alike but not same-direction neighbours of the route', () => {
    expect(ddc(3, 2.0, 20)).toBe(0.5); // oncoming lane: 11 * 0.3 = 3.3 m
    expect(ddc(3, 2.0, 20, twoLaneRoad())).toBe(1); // lane 1 runs the route's way: on-route
  });
});
