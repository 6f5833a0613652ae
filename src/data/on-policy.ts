// On-policy clips (DAgger): another driver (the model in training) drives scenarios of the training split, and at
// every sampled frame the expert takes over from the state that driver reached; the expert's next 4 s from there
// label the frame. So the lake learns the states a learner drifts into, with the way back out of them.
// Not the driver (runtime/) and not the expert-only lake (generate.ts, whose frame and clip records this reuses).

import { join } from 'node:path';
import { type ActionBins, loadActionBins } from '../labels/action-bins.js';
import { FUTURE_STEPS, sampleSteps } from '../labels/frame.js';
import type { Driver, EpisodeLog, Scenario, ScenarioFamily } from '../sim/types.js';
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
} from './generate.js';
import { dataPreset } from './presets.js';
import type { ClipRecord, FrameRecord } from './records.js';
import { onPolicySeed } from './seeds.js';
import { splitOf } from './splits.js';

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

/** The first `count` training-split scenario seeds of a family for a round of on-policy driving. */
export function onPolicySeeds(
  family: ScenarioFamily,
  round: number,
  baseSeed: number,
  count: number,
): number[] {
  const seeds: number[] = [];
  for (let k = 0; seeds.length < count; k++) {
    const seed = onPolicySeed(baseSeed, round, k);
    if (splitOf(family, seed) === 'train') seeds.push(seed);
  }
  return seeds;
}

/**
 * Drives `episodesPerFamily` training scenarios per family with the driver and writes each as an on-policy clip:
 * the driver's episode metrics, and its sampled frames labelled by the expert's takeover. Restartable like
 * generateLake: clips already in the lake are skipped.
 */
export async function generateOnPolicy(o: OnPolicyOptions, deps: OnPolicyDeps): Promise<GenerateSummary> {
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
          frames: takeoverFrames(deps, scenario, log, preset.frameEvery, bins),
        };
      };
      return { key, build };
    }),
  );
  return writeClips(await deps.openLake(o.out), planned, `on-policy ${o.driverId}`, o.quiet);
}

/** The sampled frames of a driver's episode, each labelled by the expert's takeover at its step. */
function takeoverFrames(
  deps: OnPolicyDeps,
  scenario: Scenario,
  log: EpisodeLog,
  every: number,
  bins: ActionBins,
): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (const step of sampleSteps(log, every)) {
    const spliced = deps.expertTakeover(scenario, log, step, FUTURE_STEPS);
    if (spliced) out.push(buildFrame(scenario, spliced, step, bins, deps));
  }
  return out;
}
