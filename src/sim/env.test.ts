import { describe, expect, it } from 'vitest';
import { DrivingEnv } from './env.js';

describe('DrivingEnv (Gymnasium-style)', () => {
  it('resets to a seeded scenario, steps to the horizon, and scores the episode at truncation', () => {
    const env = new DrivingEnv('lead-brake');
    const { observation, info } = env.reset(3);
    expect(observation.step).toBe(0);
    let total = 0;
    let last = env.step({ accel: 0, curvature: 0 });
    total += last.reward;
    while (!last.truncated) {
      last = env.step({ accel: -1, curvature: 0 });
      total += last.reward;
    }
    expect(last.info.step).toBe(info.scenario.horizon);
    expect(last.info.score).toBeDefined();
    // Rewards are route progress over the expert's: braking to a stop makes far less than the expert's 1.
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(0.8);
    expect(last.info.score!.metrics.ep.value).toBeCloseTo(total, 2);
  });

  it('refuses step before reset and an unknown family at construction', () => {
    expect(() => new DrivingEnv('nope')).toThrow(/unknown scenario family 'nope'/);
    expect(() => new DrivingEnv('cut-in').step({ accel: 0, curvature: 0 })).toThrow(/reset\(\)/);
  });
});
