import { describe, expect, it } from 'vitest';
import { clipAccel, FREE_ROAD, HIGHWAY_ENV_IDM, idmAccel } from './idm.js';
import { HIGHWAY_ENV_MOBIL, mobilWantsChange } from './mobil.js';

describe('IDM as highway-env computes it (IDMVehicle.acceleration)', () => {
  // a = 3 [1 - (v / v0)^4] - 3 (d* / d)^2, d* = 10 + 1.5 v + v (v - vl) / (2 sqrt(15)), 2 sqrt(15) = 7.745967;
  // d is the centre-to-centre distance along the lane.
  it('matches hand-computed accelerations', () => {
    // Free road: 3 (1 - (20/30)^4) = 3 (1 - 0.197531) = 2.407407.
    expect(idmAccel(HIGHWAY_ENV_IDM, 20, 30, FREE_ROAD, 0)).toBeCloseTo(2.407407, 5);
    // Closing on a leader at 15 m/s, 30 m centre to centre: d* = 10 + 30 + 20 * 5 / 7.745967 = 52.909944;
    // 3 (1 - 0.197531 - (52.909944 / 30)^2) = 3 (1 - 0.197531 - 3.110513) = -6.924133 (unclipped).
    expect(idmAccel(HIGHWAY_ENV_IDM, 20, 30, 30, 15)).toBeCloseTo(-6.924133, 5);
    // Approaching a stopped car 30 m centre to centre (25 m bumper to bumper) at 10 m/s, v0 = 20:
    // d* = 10 + 15 + 100 / 7.745967 = 37.909944; 3 (1 - 0.0625) - 3 (37.909944 / 30)^2 = 2.8125 - 4.790546 =
    // -1.978046. The bumper-to-bumper form with s0 = 5 gives 2.8125 - 3 (32.909944 / 25)^2 = -2.386 instead.
    expect(idmAccel(HIGHWAY_ENV_IDM, 10, 20, 30, 0)).toBeCloseTo(-1.978046, 5);
    // Standstill 10 m centre to centre behind a stopped car (5 m bumper gap): 3 - 3 (10 / 10)^2 = 0.
    expect(idmAccel(HIGHWAY_ENV_IDM, 0, 20, 10, 0)).toBeCloseTo(0, 9);
    // d* is not clamped: a leader 30 m/s faster 20 m ahead gives d* = 25 - 300 / 7.745967 = -13.729833, and
    // 2.8125 - 3 (-13.729833 / 20)^2 = 2.8125 - 1.413812 = 1.398688.
    expect(idmAccel(HIGHWAY_ENV_IDM, 10, 20, 20, 40)).toBeCloseTo(1.398688, 5);
  });

  it('clips commands to +-6 m/s2 and stays finite at a zero distance (not_zero: 0.01 m)', () => {
    expect(clipAccel(HIGHWAY_ENV_IDM, idmAccel(HIGHWAY_ENV_IDM, 20, 30, 30, 15))).toBe(-6);
    const atZero = idmAccel(HIGHWAY_ENV_IDM, 0, 30, 0, 0); // 3 - 3 (10 / 0.01)^2
    expect(atZero).toBeCloseTo(3 - 3e6, 3);
    expect(clipAccel(HIGHWAY_ENV_IDM, atZero)).toBe(-6);
    expect(idmAccel(HIGHWAY_ENV_IDM, 0, 30, FREE_ROAD, 0)).toBe(3);
  });
});

describe('MOBIL with highway-env parameters', () => {
  const base = {
    selfBefore: 0,
    selfAfter: 0,
    newFollowerBefore: 0,
    newFollowerAfter: 0,
    oldFollowerBefore: 0,
    oldFollowerAfter: 0,
  };
  it('changes when the own gain reaches 0.2 m/s2 and the new follower brakes no harder than 2 m/s2', () => {
    expect(mobilWantsChange(HIGHWAY_ENV_MOBIL, { ...base, selfBefore: -1, selfAfter: -0.7 })).toBe(true);
    expect(mobilWantsChange(HIGHWAY_ENV_MOBIL, { ...base, selfBefore: -1, selfAfter: -0.9 })).toBe(false);
    expect(
      mobilWantsChange(HIGHWAY_ENV_MOBIL, { ...base, selfBefore: -1, selfAfter: 1, newFollowerAfter: -2.5 }),
    ).toBe(false);
    expect(
      mobilWantsChange(HIGHWAY_ENV_MOBIL, { ...base, selfBefore: -1, selfAfter: 1, newFollowerAfter: -1.9 }),
    ).toBe(true);
  });

  it('ignores the others entirely at politeness 0 and weighs them when polite', () => {
    const rude = { ...base, selfBefore: 0, selfAfter: 0.5, newFollowerBefore: 1, newFollowerAfter: -1.5 };
    expect(mobilWantsChange(HIGHWAY_ENV_MOBIL, rude)).toBe(true);
    expect(mobilWantsChange({ ...HIGHWAY_ENV_MOBIL, politeness: 0.5 }, rude)).toBe(false);
  });
});
