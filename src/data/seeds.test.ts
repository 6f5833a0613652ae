import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { MAX_SCENARIO_SEED } from '../sim/types.js';
import { fakeSimDeps } from './fixtures.js';
import { generateLake, SETTINGS_FILE } from './generate.js';
import { onPolicySeeds } from './on-policy.js';
import { checkBaseSeed, MAX_BASE_SEED, onPolicySeed, scenarioSeed } from './seeds.js';

describe('scenario seed layout', () => {
  it('keeps every on-policy round of every allowed base seed inside the simulator seed range', () => {
    // base seed 1 once gave 10,002,000,000: `drivefm run --seed 1` failed at its first on-policy round
    expect(onPolicySeeds('cut-in', 0, 1, 5).every((s) => s <= MAX_SCENARIO_SEED)).toBe(true);
    expect(onPolicySeed(MAX_BASE_SEED, 99, 99_999)).toBeLessThanOrEqual(MAX_SCENARIO_SEED);
    expect(() => checkBaseSeed(MAX_BASE_SEED + 1, '--seed')).toThrow(
      /--seed: expected a base seed from 0 to 428/,
    );
    for (const bad of [-1, 1.5]) expect(() => checkBaseSeed(bad, '--seed')).toThrow(UsageError);
    expect(() => onPolicySeed(0, 100, 0)).toThrow(/--round/);
  });

  it('gives each base seed its own rounds, apart from the expert clips', () => {
    expect(onPolicySeed(1, 0, 0)).toBeGreaterThan(onPolicySeed(0, 99, 99_999));
    expect(onPolicySeed(0, 0, 0)).toBeGreaterThan(scenarioSeed(MAX_BASE_SEED, 95, 96)); // the small preset's last clip
    // base seed 0 keeps the seeds its lakes were made with
    expect([onPolicySeed(0, 0, 0), onPolicySeed(0, 1, 7)]).toEqual([2_000_000, 2_100_007]);
  });

  it('refuses a base seed without room before writing anything to the run folder', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'drivefm-seeds-')), 'run');
    const deps = {
      ...fakeSimDeps(),
      openLake: () => Promise.reject(new Error('the lake must not be opened')),
    };
    const generate = generateLake({ preset: 'tiny', out, seed: MAX_BASE_SEED + 1, quiet: true }, deps);
    await expect(generate).rejects.toThrow(/--seed/);
    expect(existsSync(join(out, SETTINGS_FILE))).toBe(false);
  });
});
