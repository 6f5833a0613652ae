import { describe, expect, it } from 'vitest';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, twoWayRoad } from './fixtures.js';
import { laneKeepingSeries } from './lane-keeping.js';
import { reduceMin } from './metric.js';

function lk(offsetSteps: number): number {
  const y = (t: number) => (t >= 10 && t < 10 + offsetSteps ? 0.7 : 0);
  const log = buildLog({ steps: 60, agents: [{ at: (t) => ({ x: 10 + t, y: y(t), speed: 10 }) }] });
  return reduceMin(laneKeepingSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log))).value;
}

describe('LK: lane keeping', () => {
  it('fails after more than 2 s at 0.7 m off the centreline, not after 1.5 s', () => {
    expect(lk(25)).toBe(0);
    expect(lk(15)).toBe(1);
    expect(lk(0)).toBe(1);
  });
});
