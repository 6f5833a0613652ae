// Where the lake's scenario seeds come from: one layout for the expert clips and every on-policy round, so that a
// base seed's clips never reuse another base seed's or round's scenarios, and every seed fits the simulator's range
// (an unsigned 32-bit integer). Not the split of a seed (splits.ts) and not the scenarios themselves (sim/).

import { UsageError } from '../core/errors.js';
import { MAX_SCENARIO_SEED } from '../sim/types.js';

const EXPERT_SEED_BASE = 1_000_000; // expert clips start here, far from the small seeds evaluation suites use
const ON_POLICY_SEED_BASE = 2_000_000; // on-policy rounds start here: above the expert clips while base x clips a
// family stays under 1,000,000 (the small preset's 96 clips a family: 41,088 at base seed 428)
const ROUND_SEEDS = 100_000; // seeds reserved per on-policy round
const ROUNDS_PER_BASE_SEED = 100; // on-policy rounds a base seed has room for

/** The largest base seed whose on-policy rounds all fit the simulator's seed range (428). */
export const MAX_BASE_SEED =
  Math.floor((MAX_SCENARIO_SEED + 1 - ON_POLICY_SEED_BASE) / (ROUNDS_PER_BASE_SEED * ROUND_SEEDS)) - 1;

/** Refuses a base seed the layout has no room for, naming the flag it came from. */
export function checkBaseSeed(baseSeed: number, flag: string): void {
  if (!Number.isInteger(baseSeed) || baseSeed < 0 || baseSeed > MAX_BASE_SEED) {
    throw new UsageError(`${flag}: expected a base seed from 0 to ${MAX_BASE_SEED}, got ${baseSeed}`);
  }
}

/** The scenario seed of expert clip `index` of a family for a base seed: distinct for every (base, index). */
export function scenarioSeed(baseSeed: number, index: number, clipsPerFamily: number): number {
  return EXPERT_SEED_BASE + baseSeed * clipsPerFamily + index;
}

/** The `k`-th candidate scenario seed of on-policy round `round` for a base seed: distinct for every (base, round, k). */
export function onPolicySeed(baseSeed: number, round: number, k: number): number {
  checkBaseSeed(baseSeed, 'base seed');
  if (!Number.isInteger(round) || round < 0 || round >= ROUNDS_PER_BASE_SEED) {
    throw new UsageError(`--round: expected a round from 0 to ${ROUNDS_PER_BASE_SEED - 1}, got ${round}`);
  }
  if (k >= ROUND_SEEDS) {
    throw new UsageError(
      `--episodes: an on-policy round has room for ${ROUND_SEEDS} scenario seeds a family`,
    );
  }
  return ON_POLICY_SEED_BASE + (baseSeed * ROUNDS_PER_BASE_SEED + round) * ROUND_SEEDS + k;
}
