// A model checkpoint folder: config.json (architecture, vocab, stage history), tokenizer.json, action-bins.json
// and model.safetensors (parameters only). Not optimiser state (engine/checkpoint.ts) nor export (compress/).
//
// Every file is written atomically; config.json goes last, so a folder with a config is complete.

import { existsSync } from 'node:fs';
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
const FORMAT = 'drivefm-vla-1';

/** One finished (or in-progress) training stage, as recorded in the config. */
export interface StageRecord {
  readonly stage: string;
  readonly steps: number; // optimiser steps taken in this stage
  readonly lossBefore: number; // mean loss of the first steps
  readonly lossAfter: number; // mean loss of the last steps
  /** [s] wall time, as runStage measured it; never written to config.json, so checkpoints are byte-identical across runs. */
  readonly secondsPerStep?: number;
}

const stageSchema = z.strictObject({
  stage: z.string(),
  steps: z.number().int().min(0),
  lossBefore: z.number(),
  lossAfter: z.number(),
  secondsPerStep: z.number().min(0).optional(), // in checkpoints written before it was left out
});

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  preset: z.string(),
  vocab: z.number().int().positive(),
  model: vlaConfigSchema,
  stages: z.array(stageSchema),
});

export interface ModelCheckpoint {
  readonly preset: string;
  readonly config: VlaConfig;
  readonly tokenizer: Tokenizer;
  readonly bins: ActionBins;
  readonly params: ReadonlyMap<string, Float32Array>;
  readonly stages: readonly StageRecord[];
}

export function saveModelCheckpoint(dir: string, ckpt: ModelCheckpoint): void {
  const tensors = new Map<string, HostTensor>();
  for (const [name, data] of ckpt.params) tensors.set(name, { dtype: 'float32', shape: [data.length], data });
  writeSafetensors(join(dir, WEIGHTS_FILE), tensors, { format: FORMAT });
  ckpt.tokenizer.save(join(dir, TOKENIZER_FILE));
  saveActionBins(join(dir, BINS_FILE), ckpt.bins);
  const config: z.infer<typeof fileSchema> = {
    format: FORMAT,
    preset: ckpt.preset,
    vocab: ckpt.tokenizer.vocabSize,
    model: ckpt.config,
    stages: ckpt.stages.map(({ secondsPerStep: _wallTime, ...saved }) => saved),
  };
  writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 1)}\n`);
}

export function loadModelCheckpoint(dir: string): ModelCheckpoint {
  const configPath = join(dir, CONFIG_FILE);
  if (!existsSync(configPath)) {
    throw new InputError({ file: configPath, message: 'no model checkpoint here (config.json missing)' });
  }
  const file = loadJsonConfig(fileSchema, configPath);
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
