// Where the lake's scenario seeds come from: a hash of (base seed, purpose, round, index) into the simulator's seed
// range (within the lake's INTEGER column), so any base seed works and no two purposes, rounds or base seeds share
// scenarios but by a 32-bit chance.
// Not the split of a seed (splits.ts) and not the scenarios themselves (sim/).

import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import type { ScenarioFamily } from '../sim/types.js';
import { MAX_SCENARIO_SEED } from '../sim/types.js';
import { type Split, splitOf } from './splits.js';

/** What a lake's scenario is driven for: each purpose has its own seeds. */
export type SeedPurpose = 'expert' | 'perturbed' | 'on-policy' | 'fleet';

export const MIN_LAKE_SEED = 1_000_000; // lake seeds stay above the small seeds evaluation suites use (0-1019)
const MAX_LAKE_SEED = Math.min(MAX_SCENARIO_SEED, 2 ** 31 - 1); // the lake's seed column is a signed INTEGER

/** Refuses a base seed that is not a safe integer >= 0, naming the flag it came from. */
export function checkBaseSeed(baseSeed: number, flag: string): void {
  if (!Number.isSafeInteger(baseSeed) || baseSeed < 0) {
    throw new UsageError(`${flag}: expected an integer >= 0, got ${baseSeed}`);
  }
}

/** The scenario seed of (base seed, purpose, round, index, candidate): sha256, read as a seed of the lake's range. */
function hashedSeed(baseSeed: number, purpose: SeedPurpose, round: number, index: number, k: number): number {
  const digest = createHash('sha256')
    .update(JSON.stringify([baseSeed, purpose, round, index, k]))
    .digest();
  return MIN_LAKE_SEED + (digest.readUInt32BE(0) % (MAX_LAKE_SEED + 1 - MIN_LAKE_SEED));
}

/**
 * The scenario seed of clip `index` of a family for (base seed, purpose, round) whose split is `split`: the first
 * of the hashed candidates that lands there (about 1.25 candidates for train, 10 for val or test).
 */
export function scenarioSeed(
  family: ScenarioFamily,
  split: Split,
  at: {
    readonly baseSeed: number;
    readonly purpose: SeedPurpose;
    readonly round: number;
    readonly index: number;
  },
): number {
  checkBaseSeed(at.baseSeed, 'base seed');
  for (let k = 0; ; k++) {
    const seed = hashedSeed(at.baseSeed, at.purpose, at.round, at.index, k);
    if (splitOf(family, seed) === split) return seed;
  }
}
