// GRPO's training scenes from a lake: a seeded sample of the train split's frames, each frame's world rebuilt by
// replaying its clip (data/frame-state.ts) into a plan scene, weighted up when its family is a hard case's. Not
// the sampling or the loss (sampler.ts, objective.ts); on-policy clips are skipped (their driver is not kept).

import { FrameStates, frameClips } from '../../data/frame-state.js';
import { readFrames } from '../../data/frames.js';
import { LakeReader } from '../../data/lake-reader.js';
import { planScene } from '../../sim/plan-scorer/index.js';
import type { ScenarioFamily } from '../../sim/types.js';
import type { StageRecipe } from '../recipe.js';
import type { RlScene } from './sampler.js';

/** Which scenes GRPO draws more often (the recipe's `rl.hard`). */
export interface HardCases {
  readonly families: readonly ScenarioFamily[]; // a frame of these families is a hard case
  readonly weight: number; // its draw weight; every other frame weighs 1
}

export interface RlScenes {
  readonly scenes: RlScene[];
  readonly weights: number[]; // (scenes,)
  readonly hard: number; // how many of the scenes are hard cases
  readonly skipped: number; // frames without actions or not replayable
}

/** The training scenes of the lake in run folder `run` (hyper: the stage's maxFrames and balanceBy). */
export async function lakeRlScenes(
  run: string,
  hyper: StageRecipe,
  hard: HardCases,
  seed: number,
): Promise<RlScenes> {
  const lake = await LakeReader.open(run);
  try {
    const frames = await readFrames(lake, {
      maxFrames: hyper.maxFrames,
      seed,
      balanceBy: hyper.balanceBy ?? undefined,
    });
    const clips = await frameClips(
      lake,
      frames.map((f) => f.clipId),
    );
    const states = new FrameStates(run);
    const out: RlScenes = { scenes: [], weights: [], hard: 0, skipped: 0 };
    let skipped = 0;
    let hardCount = 0;
    for (const f of frames) {
      const clip = clips.get(f.clipId);
      const world = clip ? states.at(clip, f.step) : null;
      if (!clip || !f.actions || !world || world.kind !== 'replayed') {
        skipped++;
        continue;
      }
      const isHard = hard.families.includes(clip.family);
      if (isHard) hardCount++;
      out.scenes.push({
        frame: f.frame,
        instruction: f.scenarioInstruction, // what a closed-loop driver is given
        scene: planScene(world.scenario, world.state, { history: world.history }),
        expertBins: f.actions,
      });
      out.weights.push(isHard ? hard.weight : 1);
    }
    return { ...out, hard: hardCount, skipped };
  } finally {
    await lake.close();
  }
}
