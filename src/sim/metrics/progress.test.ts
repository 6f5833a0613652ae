import { describe, expect, it } from 'vitest';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { progressSeries, reduceProgress } from './progress.js';
import { routeProgress } from './route.js';

function setup(speed: number, steps = 50) {
  const scenario = scenarioOn(twoWayRoad());
  const log = buildLog({ steps, agents: [straightMotion(10, speed)] });
  return { scenario, log };
}

describe('EP: ego progress', () => {
  it('measures route progress along the route lanes', () => {
    const { scenario, log } = setup(10);
    expect(routeProgress(scenario, log)).toBeCloseTo(50, 3);
  });

  it('divides by the better of ego and reference progress', () => {
    const { scenario, log } = setup(10);
    const ep = (ref: number) => reduceProgress(progressSeries(new EpisodeContext(scenario, log)), ref);
    expect(ep(100).value).toBeCloseTo(0.5, 4);
    expect(ep(25).value).toBe(1);
  });

  it('is 1 when both progress less than 5 m, and invalid without a reference', () => {
    const { scenario, log } = setup(0.6); // 3 m
    const s = progressSeries(new EpisodeContext(scenario, log));
    expect(reduceProgress(s, 4)).toEqual({ value: 1, valid: true });
    expect(reduceProgress(s, undefined).valid).toBe(false);
  });

  it('takes back progress when ego reverses', () => {
    const scenario = scenarioOn(twoWayRoad());
    const log = buildLog({
      steps: 40,
      agents: [{ at: (t) => ({ x: 30 + (t < 20 ? t : 40 - t), y: 0, speed: t < 20 ? 10 : -10 }) }],
    });
    expect(routeProgress(scenario, log)).toBeCloseTo(0, 3);
    const s = progressSeries(new EpisodeContext(scenario, log));
    expect(s.values[30]).toBeCloseTo(-1, 3);
  });
});
