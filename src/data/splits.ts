// Deterministic train/val/test splits by scenario: a hash of (family, seed) tells a scenario's split, and the lake's
// clips are given splits in a fixed 8/1/1 pattern (the seed layout then draws a seed of that split), so every lake
// of ten clips or more has every split. Not a shuffle of rows: every frame of a clip shares its clip's split.

import { UsageError } from '../core/errors.js';
import { hash32 } from '../core/rng.js';
import type { ScenarioFamily } from '../sim/types.js';

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const TRAIN_PERCENT = 80; // [%] of the hash's buckets
const VAL_PERCENT = 10; // [%]; the rest is test

/** The split of a scenario; the same (family, seed) gives the same split on every machine. */
export function splitOf(family: ScenarioFamily, seed: number): Split {
  let h = hash32(hash32(seed >>> 0) ^ Math.floor(seed / 2 ** 32)); // both words of a seed up to 2^53
  for (let i = 0; i < family.length; i++) h = hash32(h ^ family.charCodeAt(i));
  const bucket = h % 100;
  return bucket < TRAIN_PERCENT ? 'train' : bucket < TRAIN_PERCENT + VAL_PERCENT ? 'val' : 'test';
}

/** Every ten clips of a lake: 8 train, 1 val, 1 test, the held-out ones apart so that they fall in other families. */
const PATTERN: readonly Split[] = [
  'train',
  'val',
  'train',
  'train',
  'train',
  'train',
  'test',
  'train',
  'train',
  'train',
];

/**
 * The split of a lake's `position`-th clip (positions run over the families first, then the clip index). The pattern
 * starts at a point of the base seed's, so that across base seeds every family has held-out clips.
 */
export function plannedSplit(position: number, baseSeed: number): Split {
  const offset = hash32(hash32(baseSeed >>> 0) ^ Math.floor(baseSeed / 2 ** 32)) % PATTERN.length;
  return PATTERN[(position + offset) % PATTERN.length]!;
}

/** Refuses a lake of `clips` clips that would leave a split empty, naming the split and where the count came from. */
export function checkSplitsFilled(clips: number, baseSeed: number, source: string): void {
  const planned = new Set(Array.from({ length: clips }, (_, i) => plannedSplit(i, baseSeed)));
  const empty = SPLITS.find((s) => !planned.has(s));
  if (empty) {
    throw new UsageError(
      `${source}: ${clips} clips leave the ${empty} split empty; a lake needs ${PATTERN.length} clips for every split`,
    );
  }
}
