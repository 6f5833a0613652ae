import { describe, expect, it } from 'vitest';
import { comfortSeries } from './comfort.js';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';

/** Ego cruising at 15 m/s for 2 s, then braking at `decel` to a stop, then standing. */
function comfort(decel: number): number {
  const v0 = 15;
  const ego = {
    at(t: number) {
      const time = t * 0.1;
      const brake = Math.max(0, time - 2);
      const v = Math.max(0, v0 + decel * brake);
      return { x: 10 + v0 * Math.min(time, 2) + (v0 * v0 - v * v) / (-2 * decel), y: 0, speed: v };
    },
  };
  const log = buildLog({ steps: 120, agents: [ego] });
  return reduceMin(comfortSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log))).value;
}

describe('C: comfort', () => {
  it('fails a hard brake at -6 m/s2 and passes a gentle one at -2 m/s2', () => {
    expect(comfort(-6)).toBe(0);
    expect(comfort(-2)).toBe(1);
  });
});
