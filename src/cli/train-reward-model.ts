// `drivefm train --stage reward-model`: the learned reward model trained from a lake with the recipe's
// `rewardModel` settings (flags overriding), its held-out agreement table printed. Not the training (reward-model/).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { AGREEMENT_MD, trainRewardModel } from '../reward-model/train.js';
import type { Recipe } from '../train/recipe.js';

export const REWARD_MODEL_STAGE = 'reward-model';

export interface RewardModelFlags {
  readonly lake: string;
  readonly out: string;
  readonly recipe: Recipe;
  readonly seed: number;
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly maxFrames?: number; // train-split frames
  readonly quiet?: boolean;
  readonly refused: Readonly<Record<string, unknown>>; // VLA-only flags given: each one is an error here
}

export async function trainRewardModelCommand(f: RewardModelFlags): Promise<void> {
  for (const [flag, value] of Object.entries(f.refused))
    if (value !== undefined)
      throw new UsageError(`--${flag}: the reward model is its own network; it takes no --${flag}`);
  const r = f.recipe.rewardModel;
  const settings = {
    ...r,
    steps: f.steps ?? r.steps,
    batch: f.batch ?? r.batch,
    lr: f.lr ?? r.lr,
    frames: f.maxFrames ?? r.frames,
  };
  const result = await trainRewardModel({
    run: f.lake,
    out: f.out,
    settings,
    schedule: f.recipe.schedule,
    seed: f.seed,
    quiet: f.quiet,
  });
  const first = result.losses[0] ?? Number.NaN;
  const last = result.losses[result.losses.length - 1] ?? Number.NaN;
  process.stdout.write(
    `${f.out}: reward-model ${settings.steps} steps, loss ${first.toFixed(3)} -> ${last.toFixed(3)}, ` +
      `${(result.secondsPerStep * 1000).toFixed(0)} ms/step\n\n${readFileSync(join(f.out, AGREEMENT_MD), 'utf8')}`,
  );
}
