import { describe, expect, it } from 'vitest';
import { EpisodeContext } from './context.js';
import { drivableAreaSeries } from './drivable-area.js';
import { buildLog, scenarioOn, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';

function dac(y: (t: number) => number): number {
  const log = buildLog({ steps: 30, agents: [{ at: (t) => ({ x: 20 + t, y: y(t), speed: 10 }) }] });
  return reduceMin(drivableAreaSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log))).value;
}

describe('DAC: drivable-area compliance', () => {
  it('passes a centred drive and fails once a corner leaves the road', () => {
    expect(dac(() => 0)).toBe(1);
    // Road edge at y = -1.75; ego is 2 m wide, so at y = -1.2 its right corners are at -2.2.
    expect(dac((t) => (t > 20 ? -1.2 : 0))).toBe(0);
  });
});
