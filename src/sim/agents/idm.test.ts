import { describe, expect, it } from 'vitest';
import { FREE_ROAD, HIGHWAY_ENV_IDM, idmAccel } from './idm.js';
import { HIGHWAY_ENV_MOBIL, mobilWantsChange } from './mobil.js';

describe('IDM with highway-env parameters', () => {
  it('matches hand-computed accelerations', () => {
    // Free road: 3 (1 - (20/30)^4) = 2.407407...
    expect(idmAccel(HIGHWAY_ENV_IDM, 20, 30, FREE_ROAD, 0)).toBeCloseTo(2.407407, 5);
    // Closing on a slower leader 30 m ahead: s* = 5 + 20 * 1.5 + 20 * 5 / (2 sqrt(15)) = 47.909944;
    // 3 (1 - (2/3)^4 - (s*/30)^2) = 3 (1 - 0.197531 - 2.550403) = -5.243802.
    expect(idmAccel(HIGHWAY_ENV_IDM, 20, 30, 30, 15)).toBeCloseTo(-5.243802, 5);
    // At the desired speed behind a leader at the same speed and the equilibrium-ish gap: brakes a little.
    expect(idmAccel(HIGHWAY_ENV_IDM, 10, 10, 20, 10)).toBeCloseTo(3 * (0 - (20 / 20) ** 2), 6);
  });

  it('clips to +-6 m/s2 and stays finite at a zero gap', () => {
    expect(idmAccel(HIGHWAY_ENV_IDM, 20, 30, 2, 0)).toBe(-6);
    expect(idmAccel(HIGHWAY_ENV_IDM, 0, 30, 0, 0)).toBe(-6);
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
