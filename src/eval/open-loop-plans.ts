// Open-loop plan scores of a model on held-out lake frames: each frame's world rebuilt (data/frame-state.ts), the
// model's fast plan (its 16 action tokens as 8 x [accel, curvature]) and the expert's plan scored once each by
// the plan scorer, as NAVSIM scores a frame; means with 95% bootstrap intervals. Not decoding (open-loop.ts) and
// not closed-loop driving (closed-loop.ts).
//
// What differs from NAVSIM's navtest: the other agents' future is the world's with the expert driving ego (the
// plan scorer's planScene), ego's past comes from the replay (HC), and no previous plan is known open loop, so EC
// is invalid on every frame (and counts as 1, as an invalid metric does everywhere).

import { InputError, UsageError } from '../core/errors.js';
import { FrameStates, frameClips } from '../data/frame-state.js';
import type { LakeFrame } from '../data/frames.js';
import type { LakeReader } from '../data/lake-reader.js';
import type { ActionBins } from '../labels/action-bins.js';
import { tokenControls } from '../labels/action-tokens.js';
import type { EpisodeScore } from '../sim/metrics/index.js';
import { planScene, scorePlan } from '../sim/plan-scorer/index.js';
import { DT, PLAN_EVERY, PLAN_HORIZON } from '../sim/types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { pairedIntervals, type SuiteIntervals, suiteIntervals } from './intervals.js';
import { atFaultCount } from './report.js';

/** A held-out frame and the (2H,) action-token bins the model decoded for it, interleaved lon, lat. */
export interface PlannedFrame {
  readonly record: LakeFrame;
  readonly bins: Int32Array;
}

export interface OpenLoopPlans {
  readonly frames: number; // scored
  readonly notReplayable: number; // frames of on-policy clips: their driver (a model) is not in the lake
  /** Over the scored frames (a family's frames grouped as its episodes are closed loop); null when none. */
  readonly model: SuiteIntervals | null;
  readonly expert: SuiteIntervals | null; // the expert's own plan from the same states: the reference
  readonly modelMinusExpert: SuiteIntervals | null; // paired over the same frames
  readonly atFaultCollisions: { readonly model: number; readonly expert: number }; // frames with one
}

/** Scores the model's plan and the expert's on each replayable frame of `planned` (lake: its run folder's). */
export async function scoreOpenLoopPlans(
  lake: LakeReader,
  planned: readonly PlannedFrame[],
  bins: ActionBins, // the model's: what its tokens mean
  bootstrap: BootstrapOptions = {},
): Promise<OpenLoopPlans> {
  if (Math.abs(bins.stepSeconds - PLAN_EVERY * DT) > 1e-9)
    throw new UsageError(
      `open-loop plans: bins of ${bins.stepSeconds} s steps, the scorer's are ${PLAN_EVERY * DT} s`,
    );
  const clips = await frameClips(
    lake,
    planned.map((p) => p.record.clipId),
  );
  const states = new FrameStates(lake.out);
  const model: EpisodeScore[] = [];
  const expert: EpisodeScore[] = [];
  let notReplayable = 0;
  for (const { record, bins: tokens } of planned) {
    const clip = clips.get(record.clipId);
    if (!clip)
      throw new InputError({ file: lake.out, field: 'clips', message: `no row for clip ${record.clipId}` });
    const world = states.at(clip, record.step);
    if (world.kind === 'not-replayable') {
      notReplayable++;
      continue;
    }
    const controls = tokenControls(bins, tokens); // (H, 2) [m/s2], [1/m]
    if (controls.length !== PLAN_HORIZON * 2)
      throw new UsageError(
        `open-loop plans: a plan of ${controls.length / 2} steps, the scorer takes ${PLAN_HORIZON}`,
      );
    const scene = planScene(world.scenario, world.state, { history: world.history });
    const episode = { family: clip.family, seed: clip.seed };
    model.push({ ...episode, ...scorePlan(scene, controls) });
    expert.push({ ...episode, ...scorePlan(scene, scene.expertPlan) });
  }
  const scored = model.length > 0;
  return {
    frames: model.length,
    notReplayable,
    model: scored ? suiteIntervals(model, bootstrap) : null,
    expert: scored ? suiteIntervals(expert, bootstrap) : null,
    modelMinusExpert: scored ? pairedIntervals(expert, model, bootstrap) : null,
    atFaultCollisions: { model: atFaultCount(model), expert: atFaultCount(expert) },
  };
}
