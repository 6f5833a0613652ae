import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecipe } from '../train/recipe.js';
import type { CarSpec } from './car.js';
import { driveFleet, planFleet } from './drive.js';
import { untrainedCheckpoint } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-drive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (checkpoint: string): CarSpec => ({
  kind: 'checkpoint',
  checkpoint,
  mode: 'fast',
  control: 'cautious',
  caution: 0.5,
  seed: 0,
});
const car = spec(untrainedCheckpoint(join(dir, 'car'), 3));
const teacher = spec(untrainedCheckpoint(join(dir, 'teacher'), 4));

describe('planFleet', () => {
  const recipe = loadRecipe('tiny').fleet;
  it('draws every car from the mix, the same for a seed and round, other scenarios in another round', () => {
    const many = { ...recipe, cars: 60 };
    const first = planFleet(many, 0, 0);
    expect(planFleet(many, 0, 0)).toEqual(first);
    const families = new Set(first.map((c) => c.family));
    expect([...families].sort()).toEqual(recipe.mix.map((m) => m.family).sort()); // all three, nothing else
    const next = planFleet(many, 0, 1).map((c) => c.seed);
    expect(first.filter((c) => next.includes(c.seed))).toEqual([]);
  });

  it('follows the weights', () => {
    const mix = [
      { family: 'cut-in' as const, weight: 9 },
      { family: 'jaywalker' as const, weight: 1 },
    ];
    const cars = planFleet({ cars: 400, mix }, 7, 0);
    const cutIns = cars.filter((c) => c.family === 'cut-in').length;
    expect(cutIns).toBeGreaterThan(330);
    expect(cutIns).toBeLessThan(390);
  });
});

describe('driveFleet', () => {
  it('drives the same bytes over 1 and 2 worker threads, with the teacher in shadow', async () => {
    const episodes = planFleet({ cars: 2, mix: [{ family: 'lead-brake', weight: 1 }] }, 0, 0);
    const setup = { car, teacher };
    let ticks = 0;
    const one = await driveFleet(setup, episodes, 1, () => ticks++);
    const two = await driveFleet(setup, episodes, 2, () => ticks++);
    expect(ticks).toBe(4);
    expect(two.map((r) => [r.seed, Array.from(r.log.x)])).toEqual(
      one.map((r) => [r.seed, Array.from(r.log.x)]),
    );
    expect(two.map((r) => r.telemetry)).toEqual(one.map((r) => r.telemetry));
    const replans = one[0]!.telemetry.replans;
    expect(replans.length).toBe(Math.floor((one[0]!.log.steps - 1) / 5) + 1); // every 0.5 s
    expect(replans.every((r) => r.entropy > 0 && r.disagreement !== null && r.disagreement >= 0)).toBe(true);
    expect(replans.some((r) => (r.disagreement ?? 0) > 0)).toBe(true); // two different models plan differently
    expect(one[0]!.telemetry.fallbacks).toEqual([]); // a checkpoint has no runtime to fall back from
  });
});
