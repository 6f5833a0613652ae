import { describe, expect, it } from 'vitest';
import { buildLog, STOP_S, scenarioOn, straightMotion, twoWayRoad } from '../sim/metrics/fixtures.js';
import { LightColour } from '../sim/types.js';
import { clipMetrics } from './clip-metrics.js';

describe('clipMetrics', () => {
  const scenario = scenarioOn(twoWayRoad());

  it('scores a clean drive: progress in metres, no violation, comfortable', () => {
    const log = buildLog({ steps: 80, agents: [straightMotion(10, 8)], lights: () => LightColour.green });
    const m = clipMetrics(scenario, log);
    expect(m.progress).toBeCloseTo(64, 0); // 8 m/s for 8 s
    expect(m).toMatchObject({ collisions: 0, redLightViolations: 0, offroad: false, comfortable: true });
    expect(m.pdms).toBeGreaterThan(0.9);
  });

  it('counts a red-light crossing and an at-fault rear-end collision', () => {
    const runner = buildLog({
      steps: 80,
      agents: [straightMotion(STOP_S - 20, 8)],
      lights: () => LightColour.red,
    });
    expect(clipMetrics(scenario, runner).redLightViolations).toBe(1);
    const crash = buildLog({ steps: 60, agents: [straightMotion(10, 12), straightMotion(40, 0)] });
    const m = clipMetrics(scenario, crash);
    expect(m.collisions).toBe(1);
    expect(m.pdms).toBe(0);
  });
});
