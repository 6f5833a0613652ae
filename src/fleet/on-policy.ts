// A round of on-policy data (DAgger): a driver (a model checkpoint in training) drives scenarios of the training
// split, and at every sampled frame the expert takes over from the state that driver reached; the expert's next
// 4 s from there label the frame. So the lake learns the states a learner drifts into, with the way back out.
// The flywheel's smallest form: one car, no triggers. Not the lake's records (data/generate.ts, whose frame and
// clip builders this reuses) and not the model's runtime (policy/model-driver.ts).
//
// It lives in fleet/, not data/: it loads a model to drive, and data/ sits below the runtime in the import order.

import { join } from 'node:path';
import { lockRunFolder } from '../core/lock.js';
import { generateDeps } from '../data/deps.js';
import {
  ACTION_BINS_FILE,
  binsId,
  buildFrame,
  clipKey,
  GENERATOR_VERSION,
  type GenerateDeps,
  type GenerateSummary,
  runSettings,
  writeClips,
} from '../data/generate.js';
import { dataPreset } from '../data/presets.js';
import type { ClipRecord, FrameRecord } from '../data/records.js';
import { scenarioSeed } from '../data/seeds.js';
import { type ActionBins, loadActionBins } from '../labels/action-bins.js';
import { FUTURE_STEPS, sampleSteps } from '../labels/frame.js';
import { type ControlRule, type DriveMode, loadModelDriver } from '../policy/model-driver.js';
import { expertTakeover, runEpisode } from '../sim/rollout.js';
import type { Driver, EpisodeLog, Scenario, ScenarioFamily } from '../sim/types.js';
import { weightsId } from './car.js';

export interface OnPolicyDeps extends Omit<GenerateDeps, 'expertLog' | 'perturbedExpertLog'> {
  runEpisode(scenario: Scenario, driver: Driver): EpisodeLog;
  /** The log's episode up to `step`, then the expert's `future` steps from there; null when it cannot take over. */
  expertTakeover(scenario: Scenario, log: EpisodeLog, step: number, future: number): EpisodeLog | null;
}

export interface OnPolicyOptions {
  readonly out: string; // run folder with a generated lake: its preset, seed and action bins are used
  readonly driver: Driver;
  readonly driverId: string; // names the driver in clip ids: another driver's clips are other clips
  readonly episodesPerFamily: number;
  readonly round?: number; // each round drives other scenarios (default 0)
  readonly families?: readonly ScenarioFamily[]; // default: the lake preset's
  readonly quiet?: boolean;
}

/** The first `count` (training-split) scenario seeds of a family for a round of on-policy driving. */
export function onPolicySeeds(
  family: ScenarioFamily,
  round: number,
  baseSeed: number,
  count: number,
): number[] {
  return Array.from({ length: count }, (_, index) =>
    scenarioSeed(family, 'train', { baseSeed, purpose: 'on-policy', round, index }),
  );
}

/**
 * Drives `episodesPerFamily` training scenarios per family with the driver and writes each as an on-policy clip:
 * the driver's episode metrics, and its sampled frames labelled by the expert's takeover. Restartable like
 * generateLake: clips already in the lake are skipped; one writer per run folder.
 */
export async function generateOnPolicy(o: OnPolicyOptions, deps: OnPolicyDeps): Promise<GenerateSummary> {
  const lock = lockRunFolder(o.out, 'drivefm data on-policy');
  try {
    const settings = runSettings(o.out);
    const preset = dataPreset(settings.preset);
    const bins = loadActionBins(join(o.out, ACTION_BINS_FILE));
    const id = binsId(bins);
    const planned = (o.families ?? preset.families).flatMap((family) =>
      onPolicySeeds(family, o.round ?? 0, settings.seed, o.episodesPerFamily).map((seed) => {
        const key = clipKey(family, seed, id, `on-policy/${o.driverId}`);
        const build = (): ClipRecord => {
          const scenario = deps.createScenario(family, seed);
          const log = deps.runEpisode(scenario, o.driver);
          return {
            ...key,
            generator: GENERATOR_VERSION,
            source: 'on-policy',
            scenarioInstruction: scenario.instruction,
            metrics: deps.clipMetrics(scenario, log),
            frames: takeoverFrames(deps, scenario, log, sampleSteps(log, preset.frameEvery), bins),
          };
        };
        return { key, build };
      }),
    );
    return await writeClips(await deps.openLake(o.out), planned, `on-policy ${o.driverId}`, o.quiet);
  } finally {
    lock.release();
  }
}

/** Frames of a driver's episode at `steps`, each labelled by the expert's takeover there (none where it cannot). */
export function takeoverFrames(
  deps: Pick<OnPolicyDeps, 'expertTakeover' | 'render' | 'kinematics'>,
  scenario: Scenario,
  log: EpisodeLog,
  steps: readonly number[],
  bins: ActionBins,
): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (const step of steps) {
    const spliced = deps.expertTakeover(scenario, log, step, FUTURE_STEPS);
    if (spliced) out.push(buildFrame(scenario, spliced, step, bins, deps));
  }
  return out;
}

export interface OnPolicyRound {
  readonly model: string; // checkpoint folder
  readonly out: string; // run folder with the lake
  readonly mode: DriveMode;
  readonly episodesPerFamily: number;
  readonly round?: number;
  readonly seed?: number; // decoding seed
  readonly control?: ControlRule; // how the model's first plan step becomes controls (the driver's default)
  readonly caution?: number; // the cautious rule's share (the driver's default)
  readonly quiet?: boolean;
}

/** One round: the checkpoint drives (named by its weights' hash, so a retrained model drives new clips). */
export async function driveOnPolicy(o: OnPolicyRound): Promise<GenerateSummary> {
  const driver = loadModelDriver(o.model, {
    mode: o.mode,
    seed: o.seed,
    control: o.control,
    caution: o.caution,
  });
  try {
    return await generateOnPolicy(
      {
        out: o.out,
        driver,
        driverId: `${driver.name}-${weightsId(o.model)}`,
        episodesPerFamily: o.episodesPerFamily,
        round: o.round,
        quiet: o.quiet,
      },
      { ...generateDeps(), runEpisode, expertTakeover },
    );
  } finally {
    await driver.dispose();
  }
}
