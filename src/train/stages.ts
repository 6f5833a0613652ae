// The training stages as one function: read a lake and (except pretrain) a previous checkpoint, build the stage's
// examples, train, and write a new checkpoint folder. Not the examples' layout (sequences.ts) nor the loop.

import { UsageError } from '../core/errors.js';
import { LakeReader } from '../data/lake-reader.js';
import { DEFAULT_ADAMW } from '../engine/optim.js';
import { LIGHT_STATE_KEY } from '../labels/tsl.js';
import {
  loadModelCheckpoint,
  type ModelCheckpoint,
  type StageRecord,
  saveModelCheckpoint,
} from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { loadQwen2 } from '../model/qwen2.js';
import { maxText, VlaModel } from '../model/vla.js';
import { lakeActionBins, readFrames, textCorpus } from './lake-data.js';
import { trainLoop } from './loop.js';
import { DEFAULT_VOCAB, lakeTokenizer, type StageName, stageExamples } from './sequences.js';

export interface StageOptions {
  readonly stage: StageName;
  readonly lake: string; // run folder holding lake/ and action-bins.json
  readonly from?: string; // previous checkpoint folder; required except for pretrain
  readonly out: string; // checkpoint folder to write
  readonly preset?: string; // model preset; required for pretrain, checked against --from otherwise
  readonly steps?: number;
  readonly seed?: number;
  readonly batch?: number;
  readonly lr?: number; // peak learning rate
  readonly maxFrames?: number; // lake frames sampled for the stage
  readonly vocabSize?: number; // pretrain's tokenizer size
  readonly initQwen2?: string; // pretrain: start the decoder from this Qwen2 checkpoint folder
  readonly checkpointEvery?: number; // [steps]
  readonly quiet?: boolean;
}

interface StageDefaults {
  readonly lr: number;
  readonly maxFrames: number;
  readonly balanceBy?: string; // a QA key whose answers the frames are drawn evenly over (readFrames)
}

/**
 * Per-stage defaults: pretraining learns from scratch at a higher rate; later stages fine-tune. The QA stages draw
 * frames evenly over the light's state (none, green, red, yellow): at the lake's own mix (78% of frames without a
 * light, 6% at red) the model answered "green" to every light, also on its training frames.
 */
const DEFAULTS: Record<StageName, StageDefaults> = {
  pretrain: { lr: 2e-3, maxFrames: 6000, balanceBy: LIGHT_STATE_KEY }, // 2-3 packed QA sequences per frame
  align: { lr: 1e-3, maxFrames: 1500, balanceBy: LIGHT_STATE_KEY },
  // driving stages read every frame of a small lake: distinct frames generalise better than epochs over a few
  'cot-sft': { lr: 1e-3, maxFrames: 20_000 },
  'cot-short': { lr: 1e-3, maxFrames: 20_000 },
  instruct: { lr: 5e-4, maxFrames: 20_000 },
};
export const DEFAULT_STEPS = 200;
export const DEFAULT_BATCH = 8;
const DEFAULT_CHECKPOINT_EVERY = 100; // [steps]

/** Where a stage starts: the previous checkpoint, or (pretrain) a fresh model with a tokenizer of the lake. */
async function startingPoint(o: StageOptions, lake: LakeReader): Promise<ModelCheckpoint> {
  if (o.stage === 'pretrain' && !o.from) {
    if (!o.preset) throw new UsageError('pretrain needs --preset');
    const bins = lakeActionBins(o.lake);
    const tokenizer = lakeTokenizer(await textCorpus(lake), bins, o.vocabSize ?? DEFAULT_VOCAB);
    const base = {
      preset: o.preset,
      config: vlaPreset(o.preset),
      tokenizer,
      bins,
      params: new Map(),
      stages: [],
    };
    return o.initQwen2 ? fromQwen2(base, o.initQwen2, o.seed ?? 0) : base;
  }
  if (!o.from) throw new UsageError(`stage ${o.stage} needs --from a previous checkpoint`);
  const ckpt = loadModelCheckpoint(o.from);
  if (o.preset && o.preset !== ckpt.preset) {
    throw new UsageError(`--preset ${o.preset} but ${o.from} holds a ${ckpt.preset} model`);
  }
  return ckpt;
}

/**
 * A fresh VLA whose decoder is the Qwen2 checkpoint's: its width, depth and heads replace the preset's; the
 * vision layers are new, and the token embedding and head are loaded only when the vocabularies agree.
 */
function fromQwen2(base: ModelCheckpoint, dir: string, seed: number): ModelCheckpoint {
  const qwen = loadQwen2(dir);
  if (qwen.droppedBiases.length > 0) {
    // Qwen2 has q/k/v biases, our decoder none: the weights are a starting point, training adapts around it
    process.stderr.write(`${dir}: dropping ${qwen.droppedBiases.length} non-zero q/k/v bias tensors\n`);
  }
  const { dModel, layers, heads, kvHeads, ffnHidden, ropeTheta, normEps } = qwen.config;
  const config = { ...base.config, dModel, layers, heads, kvHeads, ffnHidden, ropeTheta, normEps };
  const vocab = base.tokenizer.vocabSize;
  const params = new Map(VlaModel.init(config, vocab, seed).params);
  for (const [name, data] of qwen.params) {
    if ((name === 'embed' || name === 'lm_head') && qwen.config.vocab !== vocab) continue;
    params.set(name, data);
  }
  return { ...base, preset: `${base.preset}+qwen2`, config, params };
}

/** Runs one stage end to end; returns what it recorded in the new checkpoint's config. */
export async function runStage(o: StageOptions): Promise<StageRecord> {
  const seed = o.seed ?? 0;
  const steps = o.steps ?? DEFAULT_STEPS;
  const batch = o.batch ?? DEFAULT_BATCH;
  const defaults = DEFAULTS[o.stage];
  const lake = await LakeReader.open(o.lake);
  let start: ModelCheckpoint;
  let examples: ReturnType<typeof stageExamples>;
  try {
    start = await startingPoint(o, lake);
    const records = await readFrames(lake, {
      maxFrames: o.maxFrames ?? defaults.maxFrames,
      seed,
      markGood: o.stage === 'instruct',
      balanceBy: defaults.balanceBy,
    });
    const limit = maxText(start.config);
    examples = stageExamples(o.stage, start.tokenizer, records, seed).filter((e) => e.tokens.length <= limit);
  } finally {
    await lake.close();
  }
  const lr = o.lr ?? defaults.lr;
  const save = (params: ReadonlyMap<string, Float32Array>, stages: readonly StageRecord[]) =>
    saveModelCheckpoint(o.out, { ...start, params, stages });
  const result = await trainLoop({
    config: start.config,
    vocab: start.tokenizer.vocabSize,
    init: start.params.size > 0 ? start.params : null,
    examples,
    steps,
    batch,
    seed,
    optim: {
      ...DEFAULT_ADAMW,
      lr,
      minLr: lr / 10,
      warmupSteps: Math.max(1, Math.min(20, Math.floor(steps / 10))),
      totalSteps: steps,
    },
    label: `train ${o.stage}`,
    checkpointEvery: o.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY,
    // an in-progress checkpoint records the stages finished before this one
    onCheckpoint: (params) => save(params, start.stages),
    quiet: o.quiet,
  });
  const record: StageRecord = {
    stage: o.stage,
    steps,
    lossBefore: result.lossBefore,
    lossAfter: result.lossAfter,
    secondsPerStep: result.secondsPerStep,
  };
  save(result.params, [...start.stages, record]);
  return record;
}
