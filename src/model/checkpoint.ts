// A model checkpoint folder: config.json (architecture, vocab, stage history, the recipe and seed that made it),
// tokenizer.json, action-bins.json and model.safetensors (parameters only). Not optimiser state
// (engine/checkpoint.ts), not wall times (runStage returns them; a run keeps them in times.json), not export (compress/).
//
// config.json is the marker of a finished checkpoint: a save deletes it first and writes it last, each file
// atomically, so a killed save leaves a folder the loader refuses, never a mix that passes for a checkpoint.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { HostTensor } from '../engine/engine.js';
import { readSafetensors, writeSafetensors } from '../engine/safetensors.js';
import { type ActionBins, loadActionBins, saveActionBins } from '../labels/action-bins.js';
import { type VlaConfig, vlaConfigSchema } from './config.js';
import { Tokenizer } from './tokenizer.js';
import { VlaModel } from './vla.js';

export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILE = 'tokenizer.json';
export const BINS_FILE = 'action-bins.json';
export const WEIGHTS_FILE = 'model.safetensors';
/** The files of a finished checkpoint; config.json is written last. */
export const CHECKPOINT_FILES = [WEIGHTS_FILE, TOKENIZER_FILE, BINS_FILE, CONFIG_FILE] as const;
const FORMAT = 'drivefm-vla-2'; // of config.json
const FORMAT_V1 = 'drivefm-vla-1'; // config.json before the recipe was recorded; still read
/** The weights file's own tag, unchanged since v1: its bytes are a model's content id (fleet/on-policy.ts). */
const WEIGHTS_FORMAT = FORMAT_V1;

/** One finished training stage, as recorded in the config. */
export interface StageRecord {
  readonly stage: string;
  readonly steps: number; // optimiser steps taken in this stage
  readonly lossBefore: number; // loss on the stage's fixed evaluation batch before its first step
  readonly lossAfter: number; // on the same batch after its last
  /** An RL stage's per-step figures (train/rl/grpo.ts GrpoPoint); absent on the offline stages. */
  readonly curve?: Record<string, number>[];
}

/** What made a checkpoint: the whole training recipe (train/recipe.ts) and the seed of its last stage. */
export interface MadeBy {
  readonly recipe: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

const stageSchema = z.strictObject({
  stage: z.string(),
  steps: z.number().int().min(0),
  lossBefore: z.number(),
  lossAfter: z.number(),
  curve: z.array(z.record(z.string(), z.number())).optional(),
});

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  preset: z.string(),
  vocab: z.number().int().positive(),
  model: vlaConfigSchema,
  stages: z.array(stageSchema),
  madeBy: z
    .strictObject({ recipe: z.record(z.string(), z.unknown()), seed: z.number().int().min(0) })
    .nullable(),
});

const fileSchemaV1 = z.strictObject({
  format: z.literal(FORMAT_V1),
  preset: z.string(),
  vocab: z.number().int().positive(),
  model: vlaConfigSchema,
  stages: z.array(stageSchema.extend({ secondsPerStep: z.number().min(0) })),
});

/** Either format, read as the current one (a v1 file says nothing of its recipe). */
const anyFileSchema = z.discriminatedUnion('format', [fileSchema, fileSchemaV1]).transform(
  (f): z.infer<typeof fileSchema> =>
    f.format === FORMAT
      ? f
      : {
          ...f,
          format: FORMAT,
          stages: f.stages.map(({ secondsPerStep: _, ...s }) => s),
          madeBy: null,
        },
);

export interface ModelCheckpoint {
  readonly preset: string;
  readonly config: VlaConfig;
  readonly tokenizer: Tokenizer;
  readonly bins: ActionBins;
  readonly params: ReadonlyMap<string, Float32Array>;
  readonly stages: readonly StageRecord[];
  readonly madeBy?: MadeBy | null; // absent or null: not made by a training stage (a fresh model, a v1 file)
}

/** Writes a checkpoint into `dir`, config.json last; until then `dir` holds no finished checkpoint. */
export function saveModelCheckpoint(dir: string, ckpt: ModelCheckpoint): void {
  unfinishCheckpoint(dir);
  // each tensor as its param's shape (checked by the model); files written 1-D before this still load
  const model = new VlaModel(ckpt.config, ckpt.tokenizer.vocabSize, ckpt.params);
  const tensors = new Map<string, HostTensor>(Object.entries(model.paramFeeds));
  writeSafetensors(join(dir, WEIGHTS_FILE), tensors, { format: WEIGHTS_FORMAT });
  ckpt.tokenizer.save(join(dir, TOKENIZER_FILE));
  saveActionBins(join(dir, BINS_FILE), ckpt.bins);
  const config: z.infer<typeof fileSchema> = {
    format: FORMAT,
    preset: ckpt.preset,
    vocab: ckpt.tokenizer.vocabSize,
    model: ckpt.config,
    stages: [...ckpt.stages],
    madeBy: ckpt.madeBy ?? null,
  };
  writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 1)}\n`);
}

/** Makes `dir` no longer pass for a finished checkpoint (before its files are replaced). */
export function unfinishCheckpoint(dir: string): void {
  rmSync(join(dir, CONFIG_FILE), { force: true });
}

/** Whether `dir` holds a finished checkpoint's marker of this project's format (no other files are read). */
export function isFinishedCheckpoint(dir: string): boolean {
  try {
    loadJsonConfig(anyFileSchema, join(dir, CONFIG_FILE));
    return true;
  } catch {
    return false;
  }
}

export function loadModelCheckpoint(dir: string): ModelCheckpoint {
  const configPath = join(dir, CONFIG_FILE);
  if (!existsSync(configPath)) {
    const message =
      existsSync(dir) && readdirSync(dir).length > 0
        ? 'not a finished checkpoint (config.json missing: its training was interrupted or is running)'
        : 'no model checkpoint here (config.json missing)';
    throw new InputError({ file: configPath, message });
  }
  const file = loadJsonConfig(anyFileSchema, configPath);
  const tokenizer = Tokenizer.load(join(dir, TOKENIZER_FILE));
  if (tokenizer.vocabSize !== file.vocab) {
    throw new InputError({
      file: join(dir, TOKENIZER_FILE),
      message: `vocabulary of ${tokenizer.vocabSize}, the config says ${file.vocab}`,
    });
  }
  const weightsPath = join(dir, WEIGHTS_FILE);
  const { tensors } = readSafetensors(weightsPath);
  const params = new Map<string, Float32Array>();
  for (const [name, t] of tensors) {
    if (t.dtype !== 'float32') throw new InputError({ file: weightsPath, field: name, message: 'not F32' });
    params.set(name, t.data as Float32Array);
  }
  return {
    preset: file.preset,
    config: file.model,
    tokenizer,
    bins: loadActionBins(join(dir, BINS_FILE)),
    params,
    stages: file.stages,
    madeBy: file.madeBy,
  };
}

/** The checkpoint's model, ready for inference; shapes are checked against the config. */
export function modelOf(ckpt: ModelCheckpoint, threads = 2): VlaModel {
  try {
    return new VlaModel(ckpt.config, ckpt.tokenizer.vocabSize, ckpt.params, threads);
  } catch (cause) {
    throw new InputError({ file: WEIGHTS_FILE, message: (cause as Error).message, cause });
  }
}
