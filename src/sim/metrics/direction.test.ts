import { describe, expect, it } from 'vitest';
import { EpisodeContext } from './context.js';
import { directionSeries } from './direction.js';
import { buildLog, scenarioOn, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';

/**
 * Ego eastbound at `speed`, driving at y = 1.5 (centre still in its own lane, |y| <= 1.75) except for states
 * 20..29 (1 s) at y = 2.0, where its centre is inside the westbound lane (|y - 3.5| <= 1.75).
 */
function ddc(speed: number): number {
  const y = (t: number) => (t >= 20 && t < 30 ? 2.0 : 1.5);
  const log = buildLog({ steps: 60, agents: [{ at: (t) => ({ x: 10 + speed * t * 0.1, y: y(t), speed }) }] });
  return reduceMin(directionSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log))).value;
}

describe('DDC: driving-direction compliance', () => {
  it('grades oncoming-lane distance in a 1 s window: < 2 m -> 1, 2-6 m -> 0.5, > 6 m -> 0', () => {
    // Distance counted: the entering step (0.5 m sideways plus v * 0.1 s) and nine steps of v * 0.1 s.
    expect(ddc(1)).toBe(1); // 0.51 + 0.9 = 1.4 m
    expect(ddc(3)).toBe(0.5); // 0.58 + 2.7 = 3.3 m in 1 s
    expect(ddc(8)).toBe(0); // 0.94 + 7.2 = 8.1 m
  });
});
