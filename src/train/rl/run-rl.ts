// The RL stages as training stages: GRPO from a checkpoint (policy start and frozen reference) on the lake's train
// scenes, resumable from its own state in the folder being written, its curve in the stage record. Not the GRPO
// step itself (grpo.ts) nor the checkpoint's files (run-stage.ts writes them).

import { LoopStopped } from '../loop.js';
import { scheduledAdamW } from '../recipe.js';
import type { OnlineContext, OnlineResult, OnlineStage } from '../stage.js';
import { trainGrpo } from './grpo.js';
import { loadRlResume, saveRlResume } from './resume.js';
import { lakeRlScenes } from './scenes.js';

/** The online stage `name` (its hyperparameters: the recipe's stages[name] and `rl`). */
export function rlStage<const N extends string>(name: N) {
  return {
    kind: 'online',
    name,
    startsFresh: false,
    async train(ctx: OnlineContext): Promise<OnlineResult> {
      const { recipe, start, seed } = ctx;
      const hyper = recipe.stages[name as keyof typeof recipe.stages];
      const { scenes, weights, hard, skipped } = await lakeRlScenes(ctx.lake, hyper, recipe.rl.hard, seed);
      if (!ctx.quiet) {
        process.stderr.write(
          `${name}: ${scenes.length} training scenes (${hard} hard cases weighted x${recipe.rl.hard.weight}` +
            `${skipped > 0 ? `, ${skipped} frames skipped: no actions or not replayable` : ''})\n`,
        );
      }
      const resume = loadRlResume(ctx.out, ctx.run);
      const { steps, lr } = hyper;
      const every = recipe.checkpointEvery;
      const result = await trainGrpo({
        config: start.config,
        tok: start.tokenizer,
        bins: start.bins,
        init: start.params,
        scenes,
        weights,
        steps,
        scenesPerStep: hyper.batch,
        seed,
        optim: scheduledAdamW(lr, steps, recipe.schedule),
        grpo: recipe.rl.grpo,
        reward: recipe.rl.reward,
        resume: resume ?? undefined,
        label: `train ${name}`,
        quiet: ctx.quiet,
        onStep: (state, curve, shapes) => {
          const step = curve.length;
          const stop = ctx.stopAfter === step;
          if (stop || (every > 0 && step % every === 0 && step < steps)) {
            saveRlResume(ctx.out, ctx.run, { state: state(), curve }, shapes());
          }
          if (stop) throw new LoopStopped(`train ${name}`, step);
        },
      });
      const { curve } = result;
      const record = {
        stage: name,
        steps,
        lossBefore: curve[0]!.loss, // the GRPO loss of the first step's batch (no fixed batch: it samples)
        lossAfter: curve.at(-1)!.loss, // of the last step's
        curve: [...curve],
      };
      return {
        params: result.params,
        record,
        secondsPerStep: result.secondsPerStep,
        resumedAt: resume?.state.step ?? 0,
        losses: curve.map((p) => p.loss),
      };
    },
  } as const satisfies OnlineStage;
}
