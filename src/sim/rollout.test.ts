import { describe, expect, it } from 'vitest';
import { expertTakeover, perturbedExpertLog, runEpisode } from './rollout.js';
import { createScenario } from './scenarios/index.js';
import type { Driver } from './types.js';

/** Drives straight on at constant speed, whatever the road does. */
const blind: Driver = { name: 'blind', reset: () => {}, act: () => ({ action: { accel: 0, curvature: 0 } }) };

/** Steers right from the first step: off the road within 2 s. */
const veer: Driver = {
  name: 'veer',
  reset: () => {},
  act: () => ({ action: { accel: 0, curvature: -0.05 } }),
};

describe('expertTakeover', () => {
  it("replays the driver's states up to the step, then the expert drives on from there", () => {
    const scenario = createScenario('stalled-obstacle', 1);
    const log = runEpisode(scenario, blind);
    const step = 40;
    const spliced = expertTakeover(scenario, log, step, 40)!;
    expect(spliced.steps).toBe(step + 40);
    const row = (l: typeof log, t: number) => [l.x[t], l.y[t], l.speed[t]]; // ego's state at t
    for (const t of [0, 20, step]) expect(row(spliced, t)).toEqual(row(log, t)); // bit-identical replay
    // the blind driver holds its speed into the obstacle; the expert brakes for it
    expect(log.speed[step + 40]).toBeCloseTo(log.speed[step], 3);
    expect(spliced.speed[step + 40]).toBeLessThan(log.speed[step] - 2);
  });

  it('steers back to the lane after a push off course', () => {
    const scenario = createScenario('highway-cruise', 3);
    const { log, bursts } = perturbedExpertLog(scenario, 5);
    const step = bursts[0]!.end;
    const spliced = expertTakeover(scenario, log, step, 40)!;
    expect(spliced.x[step]).toBe(log.x[step]);
    expect(spliced.valid[step + 40]).toBe(1);
  });

  it('gives nothing to learn from where ego is off every lane', () => {
    const scenario = createScenario('nominal-urban', 2);
    const log = runEpisode(scenario, veer);
    expect(expertTakeover(scenario, log, 0, 40)).not.toBeNull();
    expect(expertTakeover(scenario, log, 100, 40)).toBeNull();
  });
});
