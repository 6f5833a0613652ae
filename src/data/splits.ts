// Deterministic train/val/test splits by scenario: a hash of (family, seed) picks the split, ~80/10/10.
// Not a shuffle of rows: every frame of a clip shares its clip's split, so no scenario leaks across splits.

import { hash32 } from '../core/rng.js';
import type { ScenarioFamily } from '../sim/types.js';

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const TRAIN_PERCENT = 80; // [%]
const VAL_PERCENT = 10; // [%]; the rest is test

/** The split of a scenario; the same (family, seed) gives the same split on every machine. */
export function splitOf(family: ScenarioFamily, seed: number): Split {
  let h = hash32(hash32(seed >>> 0) ^ Math.floor(seed / 2 ** 32)); // both words of a seed up to 2^53
  for (let i = 0; i < family.length; i++) h = hash32(h ^ family.charCodeAt(i));
  const bucket = h % 100;
  return bucket < TRAIN_PERCENT ? 'train' : bucket < TRAIN_PERCENT + VAL_PERCENT ? 'val' : 'test';
}
