// Prunes a checkpoint folder: importance measured on the lake's driving sequences (the distil stage's layout,
// think and fast), the kept units chosen by the recipe's shares, and the smaller dense model saved as a normal
// checkpoint. Not the scoring and slicing (prune.ts) nor the recovery fine-tune (the distil stage).

import { z } from 'zod';
import { readFrames } from '../data/frames.js';
import { LakeReader } from '../data/lake-reader.js';
import { loadModelCheckpoint, saveModelCheckpoint } from '../model/checkpoint.js';
import { maxText } from '../model/vla.js';
import { textLength } from '../train/loop.js';
import { batchFeeds } from '../train/objective.js';
import type { Recipe } from '../train/recipe.js';
import { stageExamples } from '../train/sequences.js';
import { distil } from '../train/stages/distil.js';
import { choosePruning, measureImportance, prunedConfig, pruneParams } from './prune.js';

export interface PruneCheckpointOptions {
  readonly checkpoint: string; // folder of the model to prune
  readonly lake: string; // run folder holding lake/
  readonly out: string; // checkpoint folder of the pruned model
  readonly recipe: Recipe; // compress.prune: shares and how much lake data scores the units
  readonly seed: number;
}

/** What pruning kept, in parameters. */
/** What a pruning did: parameter counts and the pruned shape (a step result, parsed on resume). */
export const pruneSummarySchema = z.strictObject({
  paramsBefore: z.int().positive(),
  paramsAfter: z.int().positive(),
  heads: z.int().positive(),
  kvHeads: z.int().positive(),
  ffnHidden: z.int().positive(),
});
export type PruneSummary = z.infer<typeof pruneSummarySchema>;

const count = (params: ReadonlyMap<string, Float32Array>) =>
  [...params.values()].reduce((n, p) => n + p.length, 0);

export async function pruneCheckpoint(o: PruneCheckpointOptions): Promise<PruneSummary> {
  const ckpt = loadModelCheckpoint(o.checkpoint);
  const s = o.recipe.compress.prune;
  const B = s.batch;
  const lake = await LakeReader.open(o.lake);
  let frames: Awaited<ReturnType<typeof readFrames>>;
  try {
    frames = await readFrames(lake, { maxFrames: s.batches * B, seed: o.seed });
  } finally {
    await lake.close();
  }
  const limit = maxText(ckpt.config);
  const examples = stageExamples(distil, ckpt.tokenizer, frames, o.seed).filter(
    (e) => e.tokens.length <= limit,
  );
  const text = textLength(ckpt.config, examples);
  const batches = Array.from({ length: Math.floor(examples.length / B) }, (_, k) =>
    batchFeeds(ckpt.config, examples.slice(k * B, (k + 1) * B), text),
  ).slice(0, s.batches);
  const vocab = ckpt.tokenizer.vocabSize;
  const importance = await measureImportance(ckpt.config, vocab, ckpt.params, batches);
  const plan = choosePruning(ckpt.config, importance, s);
  const config = prunedConfig(ckpt.config, s);
  const params = pruneParams(ckpt.config, ckpt.params, plan);
  saveModelCheckpoint(o.out, { ...ckpt, preset: `${ckpt.preset}+pruned`, config, params });
  const { heads, kvHeads, ffnHidden } = config;
  return { paramsBefore: count(ckpt.params), paramsAfter: count(params), heads, kvHeads, ffnHidden };
}
