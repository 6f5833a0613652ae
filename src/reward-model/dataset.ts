// The reward model's data: lake frames of one split rebuilt into plan scenes (data/frame-state.ts), each with its
// candidate plans scored by the real plan scorer, as (scene, plan) pairs of feature rows and targets; cached
// atomically in the output folder so a re-run of training reads them back. Not the network nor training.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { FrameStates, frameClips } from '../data/frame-state.js';
import { lakeActionBins, readFrames } from '../data/frames.js';
import type { LakeReader } from '../data/lake-reader.js';
import type { Split } from '../data/splits.js';
import type { HostTensor } from '../engine/engine.js';
import { readSafetensors, writeSafetensors } from '../engine/safetensors.js';
import { planScene, scorePlans } from '../sim/plan-scorer/index.js';
import { type Candidate, candidatePlans } from './candidates.js';
import { FEATURES, FEATURES_VERSION, planTokens, TOKENS } from './features.js';
import { encodeTargets, HEAD_SLOTS, OUTPUT_WIDTH } from './heads.js';

export const CANDIDATE_KINDS: readonly Candidate['kind'][] = ['expert', 'noisy', 'resampled', 'random'];

/** M (scene, plan) pairs, grouped by scene (a scene's pairs are consecutive). */
export interface PairSet {
  readonly pairs: number; // M
  readonly scenes: number;
  readonly tokens: Float32Array; // (M, T, F) features.ts rows
  readonly targets: Float32Array; // (M, W) heads.ts layout
  readonly mask: Float32Array; // (M, heads) 1 where the scorer's metric is valid
  readonly truth: Float32Array; // (M, heads) the scorer's metric values
  readonly epdms: Float32Array; // (M,) the scorer's EPDMS
  readonly scene: Int32Array; // (M,) the scene of each pair, 0..scenes-1
  readonly kind: Int32Array; // (M,) index into CANDIDATE_KINDS
}

export interface PairQuery {
  readonly split: Split;
  readonly frames: number; // at most this many frames (a seeded sample)
  readonly candidates: number; // plans per scene
  readonly seed: number;
  readonly quiet?: boolean;
}

/** Builds the pairs of the lake's frames (frames of on-policy clips, which cannot be replayed, are skipped). */
export async function buildPairs(lake: LakeReader, q: PairQuery): Promise<PairSet> {
  const run = lake.out;
  const records = await readFrames(lake, { maxFrames: q.frames, seed: q.seed, split: q.split });
  const clips = await frameClips(
    lake,
    records.map((r) => r.clipId),
  );
  const bins = lakeActionBins(run);
  const states = new FrameStates(run);
  const rows = TOKENS * FEATURES;
  const H = HEAD_SLOTS.length;
  const parts = { tokens: [] as Float32Array[], targets: [] as number[], mask: [] as number[] };
  const truth: number[] = [];
  const epdms: number[] = [];
  const sceneOf: number[] = [];
  const kindOf: number[] = [];
  let scenes = 0;
  const progress = startProgress(`reward-model ${q.split} scenes`, records.length, { quiet: q.quiet });
  const target = new Float32Array(OUTPUT_WIDTH);
  const mask = new Float32Array(H);
  for (const [i, record] of records.entries()) {
    progress.tick();
    const clip = clips.get(record.clipId);
    if (!clip)
      throw new InputError({ file: run, field: 'clips', message: `no row for clip ${record.clipId}` });
    const world = states.at(clip, record.step);
    if (world.kind === 'not-replayable') continue;
    const scene = planScene(world.scenario, world.state, { history: world.history });
    const candidates = candidatePlans(
      scene.expertPlan,
      record.actions,
      bins,
      q.candidates,
      new Rng(q.seed).fork(i),
    );
    const plans = candidates.map((c) => c.plan);
    const scores = scorePlans(scene, plans);
    parts.tokens.push(planTokens(scene, plans));
    scores.forEach((s, p) => {
      encodeTargets(s.metrics, target, mask);
      parts.targets.push(...target);
      parts.mask.push(...mask);
      truth.push(...HEAD_SLOTS.map((h) => s.metrics[h.name].value));
      epdms.push(s.epdms);
      sceneOf.push(scenes);
      kindOf.push(CANDIDATE_KINDS.indexOf(candidates[p]!.kind));
    });
    scenes++;
  }
  progress.stop();
  const tokens = new Float32Array(epdms.length * rows);
  let at = 0;
  for (const t of parts.tokens) {
    tokens.set(t, at);
    at += t.length;
  }
  return {
    pairs: epdms.length,
    scenes,
    tokens,
    targets: Float32Array.from(parts.targets),
    mask: Float32Array.from(parts.mask),
    truth: Float32Array.from(truth),
    epdms: Float32Array.from(epdms),
    scene: Int32Array.from(sceneOf),
    kind: Int32Array.from(kindOf),
  };
}

const CACHE_FORMAT = 'drivefm-reward-pairs-1';

/** What a cached pair set was built from: a cache is reused only when all of it is the same. */
function cacheKey(run: string, q: PairQuery, lakeFrames: number): string {
  const { split, frames, candidates, seed } = q;
  return JSON.stringify({
    lake: resolve(run),
    lakeFrames,
    split,
    frames,
    candidates,
    seed,
    TOKENS,
    FEATURES,
    version: FEATURES_VERSION,
  });
}

/** The file `dir` caches a split's pairs in. */
export const pairsFile = (dir: string, split: Split) => join(dir, `pairs-${split}.safetensors`);

/** The pairs of `q` from `dir`'s cache when it was built from the same lake and query, else built and cached. */
export async function cachedPairs(dir: string, lake: LakeReader, q: PairQuery): Promise<PairSet> {
  const file = pairsFile(dir, q.split);
  const [row] = await lake.query(`select count(*) as n from frames where split = '${q.split}'`);
  const key = cacheKey(lake.out, q, Number(row!.n));
  if (existsSync(file)) {
    const { tensors, metadata } = readSafetensors(file);
    if (metadata.format === CACHE_FORMAT && metadata.key === key) {
      const f32 = (name: string) => tensors.get(name)!.data as Float32Array;
      const i32 = (name: string) => tensors.get(name)!.data as Int32Array;
      return {
        pairs: f32('epdms').length,
        scenes: Number(metadata.scenes),
        tokens: f32('tokens'),
        targets: f32('targets'),
        mask: f32('mask'),
        truth: f32('truth'),
        epdms: f32('epdms'),
        scene: i32('scene'),
        kind: i32('kind'),
      };
    }
  }
  const set = await buildPairs(lake, q);
  const M = set.pairs;
  const t = (dtype: 'float32' | 'int32', shape: number[], data: Float32Array | Int32Array): HostTensor => ({
    dtype,
    shape,
    data,
  });
  const H = HEAD_SLOTS.length;
  const tensors = new Map([
    ['tokens', t('float32', [M, TOKENS, FEATURES], set.tokens)],
    ['targets', t('float32', [M, OUTPUT_WIDTH], set.targets)],
    ['mask', t('float32', [M, H], set.mask)],
    ['truth', t('float32', [M, H], set.truth)],
    ['epdms', t('float32', [M], set.epdms)],
    ['scene', t('int32', [M], set.scene)],
    ['kind', t('int32', [M], set.kind)],
  ]);
  writeSafetensors(file, tensors, { format: CACHE_FORMAT, key, scenes: String(set.scenes) });
  return set;
}
