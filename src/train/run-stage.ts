// Runs one training stage end to end: read a lake and (except a fresh start) a previous checkpoint, build the
// stage's examples, train (resuming a killed run), and write a new checkpoint folder. The hyperparameters come from
// a recipe (recipe.ts), overridden by the caller. Not the examples' layout (stages/) nor the loop (loop.ts).

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TEMP_SUFFIX } from '../core/atomic.js';
import { UsageError } from '../core/errors.js';
import { lakeActionBins, readFrames, textCorpus } from '../data/frames.js';
import { LAKE_DIR } from '../data/lake-paths.js';
import { LakeReader } from '../data/lake-reader.js';
import { type ActionBins, actionBinsToJson } from '../labels/action-bins.js';
import {
  CHECKPOINT_FILES,
  CONFIG_FILE,
  isFinishedCheckpoint,
  loadModelCheckpoint,
  type ModelCheckpoint,
  type StageRecord,
  saveModelCheckpoint,
  unfinishCheckpoint,
} from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { loadQwen2 } from '../model/qwen2.js';
import { maxText, VlaModel } from '../model/vla.js';
import { trainLoop } from './loop.js';
import { loadRecipe, type Recipe, scheduledAdamW } from './recipe.js';
import { clearResume, loadResume, RESUME_DIR, saveResume } from './resume.js';
import { lakeTokenizer, stageExamples } from './sequences.js';
import { type Objective, type OfflineStage, type OnlineStage, type Stage, TEACHER_SCOPE } from './stage.js';
import { type StageName, stageOf } from './stages/index.js';

/** Wall times of the stage that made a checkpoint: beside its files, not part of what makes it. */
/** The recipe a caller that names none trains with. */
export const DEFAULT_RECIPE = 'small';

export interface StageOptions {
  readonly stage: StageName;
  readonly lake: string; // run folder holding lake/ and action-bins.json
  readonly from?: string; // previous checkpoint folder; required unless the stage starts fresh
  readonly teacher?: string; // a taught stage's (distil's) frozen teacher checkpoint folder
  readonly out: string; // checkpoint folder to write
  readonly recipe?: Recipe; // default: the DEFAULT_RECIPE preset
  readonly preset?: string; // model preset of a fresh start (default the recipe's teacher), checked against --from
  readonly seed?: number;
  // overrides of the recipe
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number; // peak learning rate
  readonly maxFrames?: number; // lake frames sampled for the stage
  readonly vocabSize?: number; // a fresh start's tokenizer size
  readonly checkpointEvery?: number; // [steps]
  readonly initQwen2?: string; // fresh start: the decoder from this Qwen2 checkpoint folder
  readonly quiet?: boolean;
  readonly stopAfter?: number; // tests: stop after this step as a kill would (see LoopStopped)
}

/** What a stage recorded in its checkpoint, with its wall time and loss curve. */
export interface StageResult extends StageRecord {
  readonly secondsPerStep: number; // [s] wall time: returned, never written into the checkpoint folder
  readonly resumedAt: number; // the step a resumed run went on from; 0 when it started afresh
  readonly losses: readonly number[]; // (steps,) each step's training loss
}

/** The recipe with the caller's overrides applied: what the checkpoint records as having made it. */
function effectiveRecipe(o: StageOptions): Recipe {
  const recipe = o.recipe ?? loadRecipe(DEFAULT_RECIPE);
  const s = recipe.stages[o.stage];
  return {
    ...recipe,
    tokenizer: { vocabSize: o.vocabSize ?? recipe.tokenizer.vocabSize },
    checkpointEvery: o.checkpointEvery ?? recipe.checkpointEvery,
    stages: {
      ...recipe.stages,
      [o.stage]: {
        ...s,
        steps: o.steps ?? s.steps,
        batch: o.batch ?? s.batch,
        lr: o.lr ?? s.lr,
        maxFrames: o.maxFrames ?? s.maxFrames,
      },
    },
  };
}

/** What `--out` may be: a new or empty folder, or a checkpoint (finished or not) to replace; never a run or --from. */
function checkOut(o: StageOptions): void {
  if (o.from && resolve(o.from) === resolve(o.out)) {
    throw new UsageError(`--out ${o.out} is the --from checkpoint; write the new one to another folder`);
  }
  if (!existsSync(o.out)) return;
  if (existsSync(join(o.out, LAKE_DIR))) {
    throw new UsageError(
      `--out ${o.out} is a run folder (it holds ${LAKE_DIR}/); write checkpoints to a folder of their own`,
    );
  }
  const known = new Set<string>([...CHECKPOINT_FILES, RESUME_DIR]);
  const foreign = readdirSync(o.out).filter((f) => !known.has(f) && !f.endsWith(TEMP_SUFFIX));
  if (foreign.length > 0) {
    throw new UsageError(
      `--out ${o.out} holds ${foreign[0]}: not a checkpoint folder; pick a new or empty one`,
    );
  }
  if (existsSync(join(o.out, CONFIG_FILE)) && !isFinishedCheckpoint(o.out)) {
    throw new UsageError(
      `--out ${o.out}: its config.json is not a drivefm checkpoint's; pick a new or empty folder`,
    );
  }
}

const sameBins = (a: ActionBins, b: ActionBins) =>
  JSON.stringify(actionBinsToJson(a)) === JSON.stringify(actionBinsToJson(b));

/** Where a stage starts: the previous checkpoint, or (a fresh start) a new model with a tokenizer of the lake. */
async function startingPoint(
  o: StageOptions,
  stage: Stage,
  recipe: Recipe,
  lake: LakeReader,
  teacher: ModelCheckpoint | null,
): Promise<ModelCheckpoint> {
  const bins = lakeActionBins(o.lake);
  if (stage.startsFresh && !o.from) {
    // a taught stage's fresh student speaks its teacher's tokens
    const preset = o.preset ?? (teacher ? recipe.models.student : recipe.models.teacher);
    const tokenizer =
      teacher?.tokenizer ?? lakeTokenizer(await textCorpus(lake), bins, recipe.tokenizer.vocabSize);
    const base = { preset, config: vlaPreset(preset), tokenizer, bins, params: new Map(), stages: [] };
    return o.initQwen2 ? fromQwen2(base, o.initQwen2, o.seed ?? 0) : base;
  }
  if (!o.from) throw new UsageError(`stage ${stage.name} needs --from a previous checkpoint`);
  const ckpt = loadModelCheckpoint(o.from);
  if (o.preset && o.preset !== ckpt.preset) {
    throw new UsageError(`--preset ${o.preset} but ${o.from} holds a ${ckpt.preset} model`);
  }
  if (!sameBins(ckpt.bins, bins)) {
    throw new UsageError(
      `--from ${o.from}: its action bins are not those of the lake in ${o.lake}; train on the lake it was made from`,
    );
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

/** A taught stage's teacher: its checkpoint, objective and frozen params (named under TEACHER_SCOPE). */
interface TeacherParts {
  readonly ckpt: ModelCheckpoint;
  readonly objective: Objective;
  readonly frozen: ReadonlyMap<string, Float32Array>;
}

function teacherOf(o: StageOptions, stage: OfflineStage, recipe: Recipe): TeacherParts | null {
  if (!stage.taught) {
    if (o.teacher) throw new UsageError(`stage ${stage.name} learns from data: it takes no --teacher`);
    return null;
  }
  if (!o.teacher) throw new UsageError(`stage ${stage.name} needs --teacher, a checkpoint to learn from`);
  const ckpt = loadModelCheckpoint(o.teacher);
  if (!sameBins(ckpt.bins, lakeActionBins(o.lake))) {
    throw new UsageError(`--teacher ${o.teacher}: its action bins are not those of the lake in ${o.lake}`);
  }
  const vocab = ckpt.tokenizer.vocabSize;
  const frozen = new Map([...ckpt.params].map(([name, p]) => [TEACHER_SCOPE.prefix + name, p]));
  const objective = stage.taught({ config: ckpt.config, vocab }, recipe.compress.distil);
  return { ckpt, objective, frozen };
}

/**
 * What must be equal for a kept resume state to be resumed: the stage, its recipe and seed, and the resolved lake,
 * start and teacher folders.
 */
function runIdentity(o: StageOptions, stage: string, recipe: Recipe, seed: number, preset: string): string {
  return JSON.stringify({
    stage,
    recipe,
    seed,
    lake: resolve(o.lake),
    from: o.from ? resolve(o.from) : null,
    teacher: o.teacher ? resolve(o.teacher) : null,
    preset,
  });
}

/** An online stage (RL): from --from's checkpoint, the stage trains itself; the checkpoint is written here. */
async function runOnline(
  o: StageOptions,
  stage: OnlineStage,
  recipe: Recipe,
  seed: number,
): Promise<StageResult> {
  if (o.teacher) throw new UsageError(`stage ${stage.name} learns from its rewards: it takes no --teacher`);
  const lake = await LakeReader.open(o.lake);
  let start: ModelCheckpoint;
  try {
    start = await startingPoint(o, stage, recipe, lake, null);
  } finally {
    await lake.close();
  }
  const run = runIdentity(o, stage.name, recipe, seed, start.preset);
  unfinishCheckpoint(o.out); // from here on `out` is no finished checkpoint until the last write
  const result = await stage.train({
    start,
    recipe,
    lake: o.lake,
    out: o.out,
    run,
    seed,
    quiet: o.quiet,
    stopAfter: o.stopAfter,
  });
  saveModelCheckpoint(o.out, {
    ...start,
    params: result.params,
    stages: [...start.stages, result.record],
    madeBy: { recipe, seed },
  });
  clearResume(o.out);
  const { secondsPerStep, resumedAt, losses } = result;
  return { ...result.record, secondsPerStep, resumedAt, losses };
}

/** Runs one stage end to end (resuming its own periodic state in `out`); returns what it recorded. */
export async function runStage(o: StageOptions): Promise<StageResult> {
  const stage = stageOf(o.stage);
  const recipe = effectiveRecipe(o);
  const hyper = recipe.stages[o.stage];
  const seed = o.seed ?? 0;
  checkOut(o);
  if (stage.kind === 'online') return runOnline(o, stage, recipe, seed);
  const teacher = teacherOf(o, stage, recipe);
  const lake = await LakeReader.open(o.lake);
  let start: ModelCheckpoint;
  let examples: ReturnType<typeof stageExamples>;
  try {
    start = await startingPoint(o, stage, recipe, lake, teacher?.ckpt ?? null);
    const { tokenizer } = start;
    if (teacher && JSON.stringify(teacher.ckpt.tokenizer.toJSON()) !== JSON.stringify(tokenizer.toJSON())) {
      throw new UsageError(
        `--from ${o.from}: its tokenizer is not the --teacher's; distil needs the same tokens`,
      );
    }
    const records = await readFrames(lake, {
      maxFrames: hyper.maxFrames,
      seed,
      markGood: stage.reads.markGood,
      balanceBy: hyper.balanceBy ?? undefined,
    });
    const limit = maxText(start.config);
    examples = stageExamples(stage, start.tokenizer, records, seed).filter((e) => e.tokens.length <= limit);
  } finally {
    await lake.close();
  }
  const run = runIdentity(o, stage.name, recipe, seed, start.preset);
  const resume = loadResume(o.out, run);
  unfinishCheckpoint(o.out); // from here on `out` is no finished checkpoint until the last write
  const { steps, lr } = hyper;
  const { schedule } = recipe;
  const result = await trainLoop({
    config: start.config,
    vocab: start.tokenizer.vocabSize,
    init: start.params.size > 0 ? start.params : null,
    objective: teacher?.objective ?? stage.objective,
    frozen: teacher?.frozen,
    examples,
    steps,
    batch: hyper.batch,
    seed,
    optim: scheduledAdamW(lr, steps, schedule),
    label: `train ${stage.name}`,
    resume: resume ?? undefined,
    checkpointEvery: recipe.checkpointEvery,
    onCheckpoint: (progress, shapes) => saveResume(o.out, run, seed, progress, shapes),
    stopAfter: o.stopAfter,
    quiet: o.quiet,
  });
  const record: StageRecord = {
    stage: stage.name,
    steps,
    lossBefore: result.lossBefore,
    lossAfter: result.lossAfter,
  };
  saveModelCheckpoint(o.out, {
    ...start,
    params: result.params,
    stages: [...start.stages, record],
    madeBy: { recipe, seed },
  });
  clearResume(o.out);
  const resumedAt = resume?.state.step ?? 0;
  return { ...record, secondsPerStep: result.secondsPerStep, resumedAt, losses: result.losses };
}
