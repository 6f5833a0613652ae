// `drivefm train --stage NAME`: flags in, one training stage run, its loss before and after printed.
// Not where training happens (train/stages.ts, train/loop.ts).

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { VLA_PRESETS } from '../model/config.js';
import { STAGES, type StageName } from '../train/sequences.js';
import { DEFAULT_BATCH, DEFAULT_STEPS, runStage } from '../train/stages.js';
import { parseOptionalCount } from './flags.js';

interface TrainFlags {
  stage: string;
  lake: string;
  from?: string;
  out: string;
  preset?: string;
  steps?: string;
  seed: string;
  batch?: string;
  lr?: string;
  maxFrames?: string;
  initQwen2?: string;
  quiet?: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('run one training stage of the VLA: read a lake and a checkpoint, write a new checkpoint')
    .requiredOption('--stage <name>', `stage: ${STAGES.join(' | ')}`)
    .requiredOption('--lake <dir>', 'run folder holding the lake, e.g. runs/NAME')
    .option('--from <dir>', 'previous checkpoint folder (every stage but pretrain)')
    .requiredOption('--out <dir>', 'checkpoint folder to write')
    .option('--preset <name>', `model preset: ${Object.keys(VLA_PRESETS).join(' | ')}`)
    .option('--steps <n>', `optimiser steps (default ${DEFAULT_STEPS})`)
    .option('--seed <n>', 'seed of init, sampling and batching', '0')
    .option('--batch <n>', `sequences per step (default ${DEFAULT_BATCH})`)
    .option('--lr <x>', 'peak learning rate (default per stage)')
    .option('--max-frames <n>', 'lake frames sampled for the stage (default per stage)')
    .option(
      '--init-qwen2 <dir>',
      'pretrain: start the decoder from a Qwen2 checkpoint (config.json + safetensors)',
    )
    .option('--quiet', 'no progress output')
    .action(async (f: TrainFlags) => {
      if (!(STAGES as readonly string[]).includes(f.stage)) {
        throw new UsageError(`unknown stage '${f.stage}'; one of ${STAGES.join(', ')}`);
      }
      const lr = f.lr === undefined ? undefined : Number(f.lr);
      if (lr !== undefined && !(lr > 0)) throw new UsageError(`--lr must be > 0, got ${f.lr}`);
      const record = await runStage({
        stage: f.stage as StageName,
        lake: f.lake,
        from: f.from,
        out: f.out,
        preset: f.preset,
        steps: parseOptionalCount(f.steps, '--steps', 1),
        seed: parseOptionalCount(f.seed, '--seed', 0),
        batch: parseOptionalCount(f.batch, '--batch', 1),
        lr,
        maxFrames: parseOptionalCount(f.maxFrames, '--max-frames', 1),
        initQwen2: f.initQwen2,
        quiet: f.quiet,
      });
      process.stdout.write(
        `${f.out}: ${record.stage} ${record.steps} steps, loss ${record.lossBefore.toFixed(3)} -> ` +
          `${record.lossAfter.toFixed(3)}, ${((record.secondsPerStep ?? 0) * 1000).toFixed(0)} ms/step\n`,
      );
    });
}
