// Data generation: roll out the expert on every scenario of a preset, sample frames, render the sensors, compute
// labels, QA, CoT, instructions and action tokens, and hand each clip whole to the lake. Skips complete clips.
// Not the lake's storage (lake.ts, schema.ts) nor the simulator: both come in through GenerateDeps.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { lockRunFolder } from '../core/lock.js';
import { startProgress } from '../core/progress.js';
import {
  type ActionBins,
  actionBinsToJson,
  fitActionBins,
  loadActionBins,
  PLAN_STEP_SECONDS,
  saveActionBins,
} from '../labels/action-bins.js';
import { encodeActionTokens, type Kinematics, stepControls } from '../labels/action-tokens.js';
import { cotTrace } from '../labels/cot.js';
import { egoFuture, FUTURE_STEPS, type LabelFrame, poseAt, sampleSteps } from '../labels/frame.js';
import { frameQa, labelFrame } from '../labels/frame-labels.js';
import { frameInstruction } from '../labels/instructions.js';
import type { Burst } from '../sim/agents/perturbed-driver.js';
import type { EpisodeLog, Scenario, ScenarioFamily } from '../sim/types.js';
import { DT } from '../sim/types.js';
import { type DataPreset, dataPreset } from './presets.js';
import type { ClipKey, ClipMetrics, ClipRecord, ClipSink, FrameRecord } from './records.js';
import { checkBaseSeed, scenarioSeed } from './seeds.js';
import { checkSplitsFilled, plannedSplit } from './splits.js';

/** Bumped whenever generated content changes for the same inputs; part of every clip id. */
export const GENERATOR_VERSION = 3; // 3: scenario seeds hashed (seeds.ts), splits drawn 8/1/1 (splits.ts)
export const ACTION_BINS_FILE = 'action-bins.json';
export const SETTINGS_FILE = 'generate.json'; // the preset and seed the run folder was made with

/** What generation needs from the simulator, the sensors and the lake. */
export interface GenerateDeps {
  createScenario(family: ScenarioFamily, seed: number): Scenario;
  /** The expert's episode on the scenario. */
  expertLog(scenario: Scenario): EpisodeLog;
  /** The expert's episode with bursts of noise on its commands, ending on multiples of `alignment` steps. */
  perturbedExpertLog(scenario: Scenario, alignment: number): { log: EpisodeLog; bursts: readonly Burst[] };
  /** How the expert's episode went, by the simulator's metrics. */
  clipMetrics(scenario: Scenario, log: EpisodeLog): ClipMetrics;
  readonly kinematics: Kinematics;
  render(scenario: Scenario, log: EpisodeLog, step: number): { camera: Uint8Array; bev: Uint8Array };
  openLake(out: string): Promise<ClipSink>;
}

export interface GenerateOptions {
  readonly preset: string;
  readonly out: string; // run folder
  readonly seed?: number; // base seed of the scenario seeds; default 0
  readonly quiet?: boolean;
}

export const generateSummarySchema = z.strictObject({
  clips: z.int().min(0),
  written: z.int().min(0),
  skipped: z.int().min(0),
  frames: z.int().min(0), // frames written
});
export type GenerateSummary = z.infer<typeof generateSummarySchema>;

/**
 * Generates the preset's lake under `out`. Idempotent and restartable: the settings and the action bins are
 * saved first (atomically), clips already in the lake are skipped without being rolled out again, and a rerun
 * with another preset or seed in the same folder is refused, as is a second writer while this one runs.
 */
export async function generateLake(options: GenerateOptions, deps: GenerateDeps): Promise<GenerateSummary> {
  const preset = dataPreset(options.preset);
  const baseSeed = options.seed ?? 0;
  checkBaseSeed(baseSeed, '--seed');
  const perFamily = preset.seedsPerFamily + preset.perturbedPerFamily;
  const families = preset.families.length;
  checkSplitsFilled(families * perFamily, baseSeed, `data preset ${options.preset}`);
  const lock = lockRunFolder(options.out, 'drivefm data generate');
  try {
    claimRunFolder(options.out, options.preset, baseSeed);
    const clips = preset.families.flatMap((family, f) =>
      Array.from({ length: perFamily }, (_, i) => {
        const perturbed = i >= preset.seedsPerFamily;
        const purpose = perturbed ? 'perturbed' : 'expert';
        const index = perturbed ? i - preset.seedsPerFamily : i;
        const split = plannedSplit(i * families + f, baseSeed); // families interleaved: held out in several
        return {
          family,
          seed: scenarioSeed(family, split, { baseSeed, purpose, round: 0, index }),
          perturbed,
        };
      }),
    );
    return await generateClips(options, preset, clips, deps);
  } finally {
    lock.release();
  }
}

/** Rolls out, labels and writes the planned expert clips (fitting the action bins first on a new lake). */
async function generateClips(
  options: GenerateOptions,
  preset: DataPreset,
  clips: readonly { family: ScenarioFamily; seed: number; perturbed: boolean }[],
  deps: GenerateDeps,
): Promise<GenerateSummary> {
  const episodes = new Map<number, Episode>(); // clip index -> its rollout, kept until the clip is written
  const episode = (index: number): Episode => {
    const cached = episodes.get(index);
    if (cached) return cached;
    const { family, seed, perturbed } = clips[index]!;
    const scenario = deps.createScenario(family, seed);
    const rolled = perturbed
      ? { scenario, ...deps.perturbedExpertLog(scenario, preset.frameEvery) }
      : { scenario, log: deps.expertLog(scenario), bursts: [] };
    episodes.set(index, rolled);
    return rolled;
  };
  const binsPath = join(options.out, ACTION_BINS_FILE);
  const saved = existsSync(binsPath) ? loadActionBins(binsPath) : undefined; // a rerun keeps its bins
  const bins =
    saved ??
    fitBins(
      preset,
      clips.map((_, i) => episode(i)),
      deps.kinematics,
    );
  if (!saved) saveActionBins(binsPath, bins);
  const id = binsId(bins);
  const planned = clips.map(({ family, seed, perturbed }, index) => {
    const key = clipKey(family, seed, id, perturbed ? 'perturbed' : '');
    const build = () => {
      const clip = buildClip(key.clipId, episode(index), preset, bins, deps);
      episodes.delete(index);
      return clip;
    };
    return { key, build };
  });
  return writeClips(await deps.openLake(options.out), planned, 'data generate', options.quiet);
}

/** A clip to write: its key, and how to build it when the lake does not hold it yet. */
export interface PlannedClip {
  readonly key: ClipKey;
  build(): ClipRecord;
}

/** Builds and writes each planned clip the lake lacks, one at a time with a progress bar; closes the lake. */
export async function writeClips(
  lake: ClipSink,
  planned: readonly PlannedClip[],
  label: string,
  quiet?: boolean,
): Promise<GenerateSummary> {
  const progress = startProgress(label, planned.length, { quiet });
  let written = 0;
  let frames = 0;
  try {
    for (const { key, build } of planned) {
      if (!(await lake.hasClip(key))) {
        const clip = build();
        await lake.writeClip(clip);
        written++;
        frames += clip.frames.length;
      }
      progress.tick();
    }
  } finally {
    progress.stop();
    await lake.close();
  }
  return { clips: planned.length, written, skipped: planned.length - written, frames };
}

/** The content id of a set of action bins: part of every clip id, so new bins make new clips. */
export function binsId(bins: ActionBins): string {
  return contentHash(JSON.stringify(actionBinsToJson(bins)));
}

/** A clip's key: same generator, family, seed, variant (how it was driven) and bins give the same id. */
export function clipKey(family: ScenarioFamily, seed: number, bins: string, variant: string): ClipKey {
  const id = `${GENERATOR_VERSION}/${family}/${seed}/${variant ? `${variant}/` : ''}${bins}`;
  return { clipId: contentHash(id), family, seed };
}

/** A rolled-out clip: the expert's episode and the steps where noise was added to its commands. */
interface Episode {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly bursts: readonly Burst[];
}

const settingsSchema = z.strictObject({
  preset: z.string(),
  seed: z.number().int().min(0),
  generator: z.number().int(),
});

/** The preset and seed the run folder's lake was generated with. */
export function runSettings(out: string): z.infer<typeof settingsSchema> {
  return loadJsonConfig(settingsSchema, join(out, SETTINGS_FILE));
}

/** Records the run's settings in `out` on the first run; refuses a rerun with other settings. */
function claimRunFolder(out: string, preset: string, seed: number): void {
  const path = join(out, SETTINGS_FILE);
  const wanted = { preset, seed, generator: GENERATOR_VERSION };
  if (!existsSync(path)) {
    writeFileAtomic(path, `${JSON.stringify(wanted)}\n`);
    return;
  }
  const saved = runSettings(out);
  for (const field of ['preset', 'seed', 'generator'] as const) {
    if (saved[field] !== wanted[field]) {
      throw new InputError({
        file: path,
        field,
        message: `this run folder was generated with ${saved[field]}, not ${wanted[field]}; use another --out`,
      });
    }
  }
}

/** Action bins fitted to the expert's controls at every sampled frame of the episodes (bicycle inverse, 0.5 s steps). */
export function fitBins(preset: DataPreset, episodes: readonly Episode[], kin: Kinematics): ActionBins {
  const accels: number[] = [];
  const curvatures: number[] = [];
  for (const { log, bursts } of episodes) {
    for (const step of cleanSteps(log, bursts, preset.frameEvery)) {
      const controls = stepControls(kin, poseAt(log, 0, step), egoFuture(log, step), PLAN_STEP_SECONDS);
      for (let k = 0; k < controls.length; k += 2) {
        accels.push(controls[k]!);
        curvatures.push(controls[k + 1]!);
      }
    }
  }
  return fitActionBins(Float64Array.from(accels), Float64Array.from(curvatures), preset);
}

/** Everything stored about one frame: sensors, labels, QA, CoT, instruction, action tokens. */
export function buildFrame(
  scenario: Scenario,
  log: EpisodeLog,
  step: number,
  bins: ActionBins,
  deps: Pick<GenerateDeps, 'render' | 'kinematics'>,
): FrameRecord {
  const frame: LabelFrame = { scenario, log, step };
  const frameSeed = scenario.seed * 1000 + step; // phrasing choice, fixed per frame
  const labels = labelFrame(frame);
  const cot = cotTrace(frame, labels);
  const i = step; // ego is agent 0: its (0, step) index is step
  return {
    step,
    t: step * DT,
    ...deps.render(scenario, log, step),
    ego: { speed: log.speed[i]!, accel: log.accel[i]!, yawRate: log.yawRate[i]! },
    instruction: frameInstruction(frame, cot, frameSeed),
    labels,
    qa: frameQa(labels, frameSeed),
    cot,
    actions: encodeActionTokens(deps.kinematics, bins, poseAt(log, 0, step), egoFuture(log, step)),
  };
}

/**
 * The sampled steps whose next 4 s hold no burst of noise: their future is the expert's own driving (from a
 * state a burst may have pushed off course), so it can be the label.
 */
export function cleanSteps(log: EpisodeLog, bursts: readonly Burst[], every: number): number[] {
  return sampleSteps(log, every).filter((s) =>
    bursts.every((b) => b.end <= s || b.start >= s + FUTURE_STEPS),
  );
}

/** A whole clip record: the sampled frames with a clean future, and the episode's metrics. */
export function buildClip(
  clipId: string,
  { scenario, log, bursts }: Episode,
  preset: DataPreset,
  bins: ActionBins,
  deps: GenerateDeps,
): ClipRecord {
  return {
    clipId,
    family: scenario.family,
    seed: scenario.seed,
    generator: GENERATOR_VERSION,
    source: bursts.length > 0 ? 'perturbed' : 'expert',
    scenarioInstruction: scenario.instruction,
    metrics: deps.clipMetrics(scenario, log),
    frames: cleanSteps(log, bursts, preset.frameEvery).map((step) =>
      buildFrame(scenario, log, step, bins, deps),
    ),
  };
}

function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
