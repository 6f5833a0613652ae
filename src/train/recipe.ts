// A training recipe: every hyperparameter of the pipeline for one preset (configs/<name>.json) under one strict
// schema: data and model presets, the tokenizer, the schedule, each stage's steps, rate, batch and frames, the
// on-policy rounds and the evaluation sizes and control rule. Not the model architecture (model/config.ts).

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadJsonConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { DATA_PRESET_NAMES, type DataPresetName } from '../data/presets.js';
import { type AdamWConfig, DEFAULT_ADAMW } from '../engine/optim.js';
import { fleetRecipeSchema } from '../fleet/fleet-recipe.js';
import { VLA_PRESETS } from '../model/config.js';
import { DRIVE_MODES } from '../model/prompt.js';
import { CONTROL_RULES } from '../policy/model-driver.js';
import { rewardModelSchema } from '../reward-model/settings.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import { grpoSchema } from './rl/objective.js';
import { lengthPenaltySchema, rewardSpecSchema } from './rl/reward.js';
import { STAGES, type StageName, stageOf } from './stages/index.js';

const RECIPE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'configs');

const modelPreset = z.string().refine((name) => Object.hasOwn(VLA_PRESETS, name), {
  message: `not a model preset (${Object.keys(VLA_PRESETS).join(', ')})`,
});

/** One stage's hyperparameters. */
const stageRecipeSchema = z.strictObject({
  steps: z.int().positive(), // optimiser steps
  lr: z.number().positive(), // peak learning rate
  batch: z.int().positive(), // sequences per step
  maxFrames: z.int().positive(), // lake frames sampled for the stage (a seeded sample when the lake has more)
  balanceBy: z.string().nullable(), // a QA key whose answers the frames are drawn evenly over; null: a plain sample
});

const stagesSchema = z.strictObject(
  Object.fromEntries(STAGES.map((name) => [name, stageRecipeSchema])) as Record<
    StageName,
    typeof stageRecipeSchema
  >,
);

export const recipeSchema = z
  .strictObject({
    data: z.enum(DATA_PRESET_NAMES as [DataPresetName, ...DataPresetName[]]), // data preset of the lake
    models: z.strictObject({ teacher: modelPreset, student: modelPreset }),
    tokenizer: z.strictObject({ vocabSize: z.int().positive() }), // pretrain's byte-level BPE size
    schedule: z.strictObject({
      warmupShare: z.number().min(0).max(1), // warmup steps: this share of a stage's steps ...
      warmupMax: z.int().positive(), // ... at most this many, at least one
      minLrDivisor: z.number().min(1), // the cosine decays to the peak rate divided by this
    }),
    checkpointEvery: z.int().min(0), // [steps] periodic resume state; 0: none
    stages: stagesSchema,
    runStages: z.array(z.enum(STAGES)).min(1), // what `drivefm run` trains for each model, in order
    /** Cloud to car: how the distil stage weighs its teacher (train/stages/distil.ts). */
    compress: z.strictObject({
      distil: z.strictObject({
        temperature: z.number().positive(), // softens teacher and student before the KL
        mix: z.number().min(0).max(1), // the KL's share of the loss; the rest is the expert's ground truth
      }),
      /** Structured pruning (compress/prune.ts): shares kept, the lake data that scores the units, the recovery. */
      prune: z.strictObject({
        kvGroups: z.number().gt(0).max(1), // share of KV groups kept
        headsPerGroup: z.number().gt(0).max(1), // share of the query heads kept in each kept group
        channels: z.number().gt(0).max(1), // share of MLP channels kept
        batches: z.int().positive(), // lake batches the importance is averaged over
        batch: z.int().positive(), // sequences per batch
        recoverySteps: z.int().positive(), // distil steps from the pruned model, its teacher the unpruned one
      }),
      /** Post-training int8 (compress/quantise.ts): calibration, the held-out check, the vehicle file's kind. */
      quantise: z.strictObject({
        calibrationFrames: z.int().positive(), // training-split lake frames the fp32 graph runs on
        range: z.enum(['max', 'mean']), // of the per-frame max |activation| over the calibration frames
        heldOutFrames: z.int().positive(), // validation-split frames int8 is compared with fp32 on
        activations: z.enum(['static', 'weights']), // the int8 file: static int8 activations, or weight-only int8
      }),
    }),
    /** After these stages each model drives training scenarios and the expert labels what it saw (DAgger). */
    onPolicy: z.strictObject({ after: z.array(z.enum(STAGES)), episodesPerFamily: z.int().positive() }),
    eval: z.strictObject({
      openLoopFrames: z.int().positive(), // held-out frames per open-loop evaluation
      adherenceFrames: z.int().positive(), // of which (and beyond) instruction adherence and the light state are read
      episodes: z.int().positive().nullable(), // closed-loop episodes of the standard suite; null: all
      recordEpisodes: z.boolean(), // save each closed-loop episode under episodes/ for the dashboard (eval/episode-record.ts)
      /** Closed-loop evaluations: which model after which stage in which mode. */
      closedLoop: z.array(
        z.strictObject({
          model: z.enum(['teacher', 'student']),
          stage: z.enum(STAGES),
          mode: z.enum(DRIVE_MODES),
        }),
      ),
      control: z.strictObject({
        rule: z.enum(CONTROL_RULES), // how the first plan step's tokens become controls (policy/model-driver.ts)
        caution: z.number().gt(0).max(1), // the cautious rule's share of the acceleration belief at speed
      }),
    }),
    /** RL post-training (train/rl/): a scored plan's reward, the CoT length penalty, GRPO's sampling and loss. */
    rl: z.strictObject({
      reward: rewardSpecSchema,
      lengthPenalty: lengthPenaltySchema,
      grpo: grpoSchema,
      // the training scenes of these families are drawn `weight` times as often as the others
      hard: z.strictObject({ families: z.array(z.enum(SCENARIO_FAMILIES)), weight: z.number().min(1) }),
    }),
    /** The in-car runtime (runtime/): the latency budget of a decision and the safe stop it falls back to. */
    runtime: z.strictObject({
      budgetMs: z.number().positive(), // [ms] per decision on one thread; a later answer is not used
      stopDecel: z.number().positive(), // [m/s2] the safe stop's deceleration
    }),
    /** The learned reward model (reward-model/): its data, network and training. */
    rewardModel: rewardModelSchema,
    /** The fleet (fleet/): cars per round, the scenario mix, the clip window and the triggers' thresholds. */
    fleet: fleetRecipeSchema,
  })
  .superRefine((r, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const first = r.runStages[0];
    if (first && !stageOf(first).startsFresh) {
      issue(['runStages', 0], `${first} does not start a fresh model; the first stage must`);
    }
    r.runStages.forEach((stage, k) => {
      if (r.runStages.indexOf(stage) < k) issue(['runStages', k], `${stage} is listed twice`);
      const s = stageOf(stage);
      if (s.kind === 'offline' && s.taught)
        issue(['runStages', k], `${stage} needs a teacher model; run it with drivefm compress`);
    });
    const trained = (path: PropertyKey[], stage: StageName) => {
      if (!r.runStages.includes(stage)) issue(path, `${stage} is not in runStages`);
    };
    for (const [k, stage] of r.onPolicy.after.entries()) trained(['onPolicy', 'after', k], stage);
    for (const [k, c] of r.eval.closedLoop.entries()) trained(['eval', 'closedLoop', k, 'stage'], c.stage);
  });

export type Recipe = z.infer<typeof recipeSchema>;

/** AdamW at the peak rate `lr` with the recipe's warmup and cosine decay over `steps`. */
export function scheduledAdamW(lr: number, steps: number, schedule: Recipe['schedule']): AdamWConfig {
  return {
    ...DEFAULT_ADAMW,
    lr,
    minLr: lr / schedule.minLrDivisor,
    warmupSteps: Math.max(1, Math.min(schedule.warmupMax, Math.floor(steps * schedule.warmupShare))),
    totalSteps: steps,
  };
}
export type StageRecipe = z.infer<typeof stageRecipeSchema>;
export type ModelRole = keyof Recipe['models'];

/** The recipe presets: the .json files of configs/. */
export function recipeNames(): string[] {
  return readdirSync(RECIPE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A recipe by preset name (configs/NAME.json) or by path to a recipe file; errors name the file and field. */
export function loadRecipe(nameOrPath: string): Recipe {
  const names = recipeNames();
  if (names.includes(nameOrPath)) return loadJsonConfig(recipeSchema, join(RECIPE_DIR, `${nameOrPath}.json`));
  if (nameOrPath.endsWith('.json') || existsSync(nameOrPath)) return loadJsonConfig(recipeSchema, nameOrPath);
  throw new UsageError(
    `unknown recipe '${nameOrPath}'; known: ${names.join(', ')}, or a path to a .json file`,
  );
}
