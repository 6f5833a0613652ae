import { describe, expect, it } from 'vitest';
import { bicycleStep, inverseBicycle, MAX_ACCEL, maxCurvature } from './bicycle.js';

describe('kinematic bicycle', () => {
  it('drives straight at constant acceleration: v = v0 + a t, x = sum of Euler steps', () => {
    const s = { x: 0, y: 0, heading: 0, speed: 10 };
    for (let i = 0; i < 10; i++) bicycleStep(s, 1, 0, 5, 0.1);
    expect(s.speed).toBeCloseTo(11, 6);
    expect(s.x).toBeCloseTo(0.1 * (10 + 10.1 + 10.2 + 10.3 + 10.4 + 10.5 + 10.6 + 10.7 + 10.8 + 10.9), 5);
    expect(s.y).toBe(0);
  });

  it('follows a circle of radius 1 / curvature and comes back to its start', () => {
    const radius = 20; // [m]
    const s = { x: 0, y: 0, heading: 0, speed: 5 };
    const steps = Math.round((2 * Math.PI * radius) / (5 * 0.01));
    let far = 0;
    for (let i = 0; i < steps; i++) {
      bicycleStep(s, 0, 1 / radius, 5, 0.01);
      far = Math.max(far, Math.hypot(s.x, s.y));
    }
    expect(far).toBeCloseTo(2 * radius, 0);
    expect(Math.hypot(s.x, s.y)).toBeLessThan(0.5);
  });

  it('limits steering, acceleration, and does not reverse', () => {
    const s = { x: 0, y: 0, heading: 0, speed: 1 };
    const yawRate = bicycleStep(s, -100, 10, 5, 0.1);
    expect(yawRate).toBeCloseTo(1 * maxCurvature(5), 6);
    expect(s.speed).toBeCloseTo(Math.max(0, 1 - MAX_ACCEL * 0.1), 6);
    bicycleStep(s, -6, 0, 5, 0.1);
    bicycleStep(s, -6, 0, 5, 0.1);
    expect(s.speed).toBe(0);
  });

  it('has an inverse that recovers the controls of a step', () => {
    const from = { x: 3, y: -2, heading: 0.4, speed: 8 };
    const to = { ...from };
    bicycleStep(to, -1.5, 0.02, 5, 0.1);
    const back = inverseBicycle(from, to, 0.1);
    expect(back.accel).toBeCloseTo(-1.5, 4);
    expect(back.curvature).toBeCloseTo(0.02, 5);
  });
});
