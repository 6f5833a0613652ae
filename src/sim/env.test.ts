import { describe, expect, it } from 'vitest';
import { DrivingEnv } from './env.js';
import { Reward } from './metrics/reward.js';

/** Drives `family` scenario `seed` to its horizon with constant `accel`; returns every step's reward and the last step. */
function drive(env: DrivingEnv, seed: number, accel: number) {
  const { info } = env.reset(seed);
  const rewards: number[] = [];
  let last = env.step({ accel, curvature: 0 });
  rewards.push(last.reward);
  while (!last.truncated) {
    last = env.step({ accel, curvature: 0 });
    rewards.push(last.reward);
  }
  return { rewards, last, horizon: info.scenario.horizon };
}

describe('DrivingEnv (Gymnasium-style)', () => {
  it('resets to a seeded scenario, steps to the horizon, and rewards the scored episode with the Reward', () => {
    const { rewards, last, horizon } = drive(
      new DrivingEnv('lead-brake', new Reward({ 'efficiency.ep': 1 })),
      3,
      -1,
    );
    expect(rewards).toHaveLength(horizon);
    expect(last.info.step).toBe(horizon);
    expect(rewards.slice(0, -1).every((r) => r === 0)).toBe(true);
    const ep = last.info.score!.metrics.ep.value;
    expect(ep).toBeLessThan(0.8); // braking to a stop makes far less progress than the expert
    expect(last.reward).toBeCloseTo(ep, 6);
  });

  it('weighs the episode metrics as the Reward says', () => {
    const weights = { 'safety.nc': 10, 'efficiency.ep': 1, 'comfort.c': -2 };
    const { last } = drive(new DrivingEnv('lead-brake', new Reward(weights)), 3, -1);
    const m = last.info.score!.metrics;
    expect(last.reward).toBeCloseTo(10 * m.nc.value + m.ep.value - 2 * m.c.value, 5);
  });

  it('refuses step before reset and an unknown family at construction', () => {
    const reward = new Reward({ 'efficiency.ep': 1 });
    expect(() => new DrivingEnv('nope', reward)).toThrow(/unknown scenario family 'nope'/);
    expect(() => new DrivingEnv('cut-in', reward).step({ accel: 0, curvature: 0 })).toThrow(/reset\(\)/);
  });
});
