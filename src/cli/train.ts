// `drivefm train --stage NAME`: flags in (defaults from a recipe, flags overriding), one training stage run, its
// loss before and after printed. Not where training happens (train/run-stage.ts, train/loop.ts).

import { type Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { VLA_PRESETS } from '../model/config.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE, runStage } from '../train/run-stage.js';
import { STAGES, type StageName } from '../train/stages/index.js';
import { parseOptionalCount, parseRate } from './flags.js';
import { addExamples, addRunOption } from './shape.js';
import { REWARD_MODEL_STAGE, trainRewardModelCommand } from './train-reward-model.js';

interface TrainFlags {
  stage: string;
  run: string;
  from?: string;
  out: string;
  recipe: string;
  preset?: string;
  steps?: string;
  seed: string;
  batch?: string;
  lr?: string;
  maxFrames?: string;
  initQwen2?: string;
  teacher?: string;
  json?: boolean;
  quiet?: boolean;
}

const RECIPES = "the recipe's"; // the default of a flag that overrides the recipe

export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description('run one training stage of the VLA: read a lake and a checkpoint, write a new checkpoint')
    .requiredOption('--stage <name>', `stage: ${[...STAGES, REWARD_MODEL_STAGE].join(' | ')}`);
  addRunOption(command, {
    description: 'run folder holding the lake, e.g. runs/NAME',
    required: true,
    aliases: ['--lake'],
  });
  command
    .option('--from <dir>', 'previous checkpoint folder (every stage but pretrain)')
    .requiredOption('--out <dir>', 'checkpoint folder to write (a killed train resumes here)')
    .option(
      '--recipe <name|file>',
      `hyperparameter defaults: ${recipeNames().join(' | ')} or a recipe .json`,
      DEFAULT_RECIPE,
    )
    .option(
      '--preset <name>',
      `model preset: ${Object.keys(VLA_PRESETS).join(' | ')} (pretrain: default the recipe's teacher)`,
    )
    .addOption(new Option('--steps <n>', 'optimiser steps').default(undefined, RECIPES))
    .option('--seed <n>', 'seed of init, sampling and batching', '0')
    .addOption(new Option('--batch <n>', 'sequences per step').default(undefined, RECIPES))
    .addOption(new Option('--lr <x>', 'peak learning rate').default(undefined, RECIPES))
    .addOption(
      new Option('--max-frames <n>', 'lake frames sampled for the stage').default(undefined, RECIPES),
    )
    .option(
      '--init-qwen2 <dir>',
      'pretrain: start the decoder from a Qwen2 checkpoint (config.json + safetensors)',
    )
    .option('--teacher <dir>', 'distil: the frozen teacher checkpoint the student learns from')
    .option('--json', 'print the stage record as JSON')
    .option('--quiet', 'no progress output');
  addExamples(
    command,
    'drivefm train --stage pretrain --run runs/tiny --out runs/tiny/models/mine/pretrain --recipe tiny',
    'drivefm train --stage align --run runs/tiny --from runs/tiny/models/mine/pretrain --out runs/tiny/models/mine/align',
  );
  command.action(async (f: TrainFlags) => {
    const lr = f.lr === undefined ? undefined : parseRate(f.lr, '--lr');
    if (f.stage === REWARD_MODEL_STAGE) {
      // not a VLA stage: its own network, trained from the lake alone
      return trainRewardModelCommand({
        lake: f.run,
        out: f.out,
        recipe: loadRecipe(f.recipe),
        seed: parseOptionalCount(f.seed, '--seed', 0) ?? 0,
        steps: parseOptionalCount(f.steps, '--steps', 1),
        batch: parseOptionalCount(f.batch, '--batch', 1),
        lr,
        maxFrames: parseOptionalCount(f.maxFrames, '--max-frames', 1),
        quiet: f.quiet || f.json,
        refused: { from: f.from, teacher: f.teacher, preset: f.preset, 'init-qwen2': f.initQwen2 },
      });
    }
    const stage = STAGES.find((s) => s === f.stage);
    if (stage === undefined) {
      throw new UsageError(
        `--stage: unknown stage '${f.stage}'; one of ${[...STAGES, REWARD_MODEL_STAGE].join(', ')}`,
      );
    }
    const recipe = loadRecipe(f.recipe);
    const record = await runStage({
      stage: stage as StageName,
      lake: f.run,
      from: f.from,
      out: f.out,
      recipe,
      preset: f.preset,
      steps: parseOptionalCount(f.steps, '--steps', 1),
      seed: parseOptionalCount(f.seed, '--seed', 0),
      batch: parseOptionalCount(f.batch, '--batch', 1),
      lr,
      maxFrames: parseOptionalCount(f.maxFrames, '--max-frames', 1),
      initQwen2: f.initQwen2,
      teacher: f.teacher,
      quiet: f.quiet || f.json,
    });
    if (f.json) {
      process.stdout.write(`${JSON.stringify({ out: f.out, ...record })}\n`);
      return;
    }
    process.stdout.write(
      `${f.out}: ${record.stage} ${record.steps} steps, loss ${record.lossBefore.toFixed(3)} -> ` +
        `${record.lossAfter.toFixed(3)}, ${((record.secondsPerStep ?? 0) * 1000).toFixed(0)} ms/step\n`,
    );
  });
}
