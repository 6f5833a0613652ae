// Training the reward model: pairs of the lake's train split (cached), seeded batches, AdamW on the heads' summed
// loss, the model written atomically, then its agreement on held-out (val) scenes as JSON and Markdown beside it.
// Not the features, the network or the statistics (features.ts, network.ts, evaluate.ts).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { InputError, UsageError } from '../core/errors.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { LAKE_DIR } from '../data/lake-paths.js';
import { LakeReader } from '../data/lake-reader.js';
import { readSafetensors, writeSafetensors } from '../engine/safetensors.js';
import { Trainer } from '../engine/trainer.js';
import { METRIC_NAMES, type MetricName } from '../sim/metrics/index.js';
import { type Recipe, scheduledAdamW } from '../train/recipe.js';
import { cachedPairs, type PairSet } from './dataset.js';
import { type Agreement, agreement, agreementMarkdown } from './evaluate.js';
import { FEATURES, TOKENS } from './features.js';
import { HEAD_SLOTS, OUTPUT_WIDTH } from './heads.js';
import { type NetworkSize, RewardNetwork, rewardLoss } from './network.js';
import type { RewardModelSettings } from './settings.js';

export const MODEL_FILE = 'reward-model.safetensors';
export const AGREEMENT_JSON = 'agreement.json';
export const AGREEMENT_MD = 'agreement.md';
export const TRAIN_JSON = 'train.json'; // losses and wall time: beside the model, not in it
const FORMAT = 'drivefm-reward-model-1';

/** A trained reward model as loaded: the network and the heads that never saw a valid label (count as 1). */
export interface RewardModel {
  readonly network: RewardNetwork;
  readonly untrained: ReadonlySet<MetricName>;
}

export interface TrainRewardOptions {
  readonly run: string; // run folder holding the lake
  readonly out: string; // folder for the model, its pair caches and its agreement report
  readonly settings: RewardModelSettings;
  readonly schedule: Recipe['schedule']; // the recipe's warmup and decay, as every stage's
  readonly seed: number;
  readonly quiet?: boolean;
  readonly threads?: number;
}

export interface TrainRewardResult {
  readonly losses: readonly number[]; // (steps,)
  readonly agreement: Agreement;
  readonly secondsPerStep: number; // [s]
}

/** The feeds of pairs `idx` of `set`. */
function batchFeeds(set: PairSet, idx: readonly number[]) {
  const size = TOKENS * FEATURES;
  const H = HEAD_SLOTS.length;
  const pick = (src: Float32Array, width: number) => {
    const out = new Float32Array(idx.length * width);
    idx.forEach((i, b) => {
      out.set(src.subarray(i * width, (i + 1) * width), b * width);
    });
    return out;
  };
  const B = idx.length;
  return {
    tokens: { dtype: 'float32' as const, shape: [B, TOKENS, FEATURES], data: pick(set.tokens, size) },
    targets: { dtype: 'float32' as const, shape: [B, OUTPUT_WIDTH], data: pick(set.targets, OUTPUT_WIDTH) },
    mask: { dtype: 'float32' as const, shape: [B, H], data: pick(set.mask, H) },
  };
}

/** Heads whose metric is valid on none of `set`'s pairs (EC on lake frames: no previous plan is known). */
function untrainedHeads(set: PairSet): Set<MetricName> {
  const H = HEAD_SLOTS.length;
  return new Set(
    HEAD_SLOTS.filter((_, h) => {
      for (let i = 0; i < set.pairs; i++) if (set.mask[i * H + h] === 1) return false;
      return true;
    }).map((s) => s.name),
  );
}

/** A fitted network: its params (with their shapes) and each step's loss. */
export interface FittedNetwork {
  readonly params: Map<string, Float32Array>;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly losses: readonly number[]; // (steps,)
}

/** Trains a network of `size` on `set` for `s.steps` seeded batches of `s.batch` pairs. */
export async function fitRewardNetwork(
  set: PairSet,
  size: NetworkSize,
  s: Pick<RewardModelSettings, 'steps' | 'lr' | 'batch'>,
  schedule: Recipe['schedule'],
  seed: number,
  o: { readonly quiet?: boolean; readonly threads?: number } = {},
): Promise<FittedNetwork> {
  const trainer = await Trainer.create({
    build: (g) => rewardLoss(g, size, s.batch),
    optim: scheduledAdamW(s.lr, s.steps, schedule),
    seed,
    threads: o.threads ?? 2,
  });
  try {
    const losses: number[] = [];
    const progress = startProgress('train reward-model', s.steps, { quiet: o.quiet });
    for (let step = 0; step < s.steps; step++) {
      const rng = new Rng(seed).fork(step);
      const idx = Array.from({ length: s.batch }, () => rng.int(set.pairs));
      const { loss } = await trainer.trainStep(batchFeeds(set, idx));
      if (!Number.isFinite(loss))
        throw new UsageError(`train reward-model: loss is ${loss} at step ${step + 1}`);
      losses.push(loss);
      progress.tick();
    }
    progress.stop();
    const params = new Map([...trainer.params()].map(([n, p]) => [n, Float32Array.from(p)]));
    return { params, shapes: trainer.paramShapes(), losses };
  } finally {
    await trainer.dispose();
  }
}

export async function trainRewardModel(o: TrainRewardOptions): Promise<TrainRewardResult> {
  if (existsSync(join(o.out, LAKE_DIR)))
    throw new UsageError(`--out ${o.out} is a run folder (it holds ${LAKE_DIR}/); pick a folder of its own`);
  const s = o.settings;
  const query = { candidates: s.candidates, seed: o.seed, quiet: o.quiet };
  const lake = await LakeReader.open(o.run);
  let train: PairSet;
  let held: PairSet;
  try {
    train = await cachedPairs(o.out, lake, { ...query, split: 'train', frames: s.frames });
    held = await cachedPairs(o.out, lake, { ...query, split: 'val', frames: s.evalFrames });
  } finally {
    await lake.close();
  }
  for (const [set, split] of [
    [train, 'train'],
    [held, 'val'],
  ] as const)
    if (set.pairs === 0)
      throw new InputError({ file: o.run, message: `no replayable ${split} frames for the reward model` });
  const size: NetworkSize = { dModel: s.dModel, layers: s.layers, heads: s.heads, ffnHidden: s.ffnHidden };
  const started = performance.now();
  const fitted = await fitRewardNetwork(train, size, s, o.schedule, o.seed, o);
  const secondsPerStep = (performance.now() - started) / 1000 / s.steps;
  const untrained = untrainedHeads(train);
  writeSafetensors(
    join(o.out, MODEL_FILE),
    new Map(
      [...fitted.shapes].map(([name, shape]) => [
        name,
        { dtype: 'float32' as const, shape, data: fitted.params.get(name)! },
      ]),
    ),
    {
      format: FORMAT,
      size: JSON.stringify(size),
      untrained: JSON.stringify([...untrained]),
      settings: JSON.stringify(s),
      seed: String(o.seed),
    },
  );
  const losses = fitted.losses;
  const model = loadRewardModel(o.out, o.threads);
  try {
    const result = agreement(held, await model.network.outputs(held.tokens), model.untrained);
    writeFileAtomic(join(o.out, AGREEMENT_JSON), `${JSON.stringify(result, null, 2)}\n`);
    writeFileAtomic(join(o.out, AGREEMENT_MD), agreementMarkdown(result));
    writeFileAtomic(join(o.out, TRAIN_JSON), `${JSON.stringify({ losses, secondsPerStep })}\n`);
    return { losses, agreement: result, secondsPerStep };
  } finally {
    await model.network.dispose();
  }
}

/** The reward model in folder `dir` (trainRewardModel's --out); an InputError naming the file when it is not one. */
export function loadRewardModel(dir: string, threads = 2): RewardModel {
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) throw new InputError({ file, message: 'no reward model here; train one first' });
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== FORMAT)
    throw new InputError({
      file,
      field: 'format',
      message: `expected '${FORMAT}', got '${metadata.format}'`,
    });
  const size = JSON.parse(metadata.size ?? '{}') as NetworkSize;
  const untrained = (JSON.parse(metadata.untrained ?? '[]') as string[]).filter((n): n is MetricName =>
    (METRIC_NAMES as readonly string[]).includes(n),
  );
  const params = new Map([...tensors].map(([name, t]) => [name, t.data as Float32Array]));
  return { network: new RewardNetwork(size, params, threads), untrained: new Set(untrained) };
}
