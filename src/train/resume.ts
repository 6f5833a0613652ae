// A stage's resume state inside the checkpoint folder it is writing: resume/state.safetensors (params, AdamW
// moments, step: engine/checkpoint.ts) and resume/progress.json (what run it belongs to, the losses so far), the
// latter written last. Not a model checkpoint: the loader refuses a folder that has only this. The write and the read
// are shared with the RL stages (train/rl/resume.ts), which keep another progress file in the same folder.

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { Rng, type RngState } from '../core/rng.js';
import { loadCheckpoint, saveCheckpoint } from '../engine/checkpoint.js';
import type { TrainState } from '../engine/trainer.js';
import type { Shape } from '../engine/types.js';
import type { LoopProgress } from './loop.js';

export const RESUME_DIR = 'resume';
const STATE_FILE = 'state.safetensors';
const PROGRESS_FILE = 'progress.json';

/** What every progress file holds: the run it belongs to and the step of the state beside it. */
const runShape = {
  run: z.string(), // what must be equal for the state to be resumed: stage, recipe, seed, lake, start
  step: z.int().positive(),
};

/**
 * Writes a stage's resume state: the train state with `rng`, then `progressFile` (`run`, the state's step and the
 * stage's own `fields`), last, so that a kill in between leaves no progress to resume from.
 */
export function writeResumeState(
  dir: string,
  progressFile: string,
  run: string,
  state: TrainState,
  rng: RngState,
  fields: Record<string, unknown>,
  shapes: ReadonlyMap<string, Shape>,
): void {
  const at = join(dir, RESUME_DIR);
  rmSync(join(at, progressFile), { force: true }); // a kill while the state is replaced leaves no progress
  saveCheckpoint(join(at, STATE_FILE), { state, rng }, shapes);
  writeFileAtomic(join(at, progressFile), `${JSON.stringify({ run, step: state.step, ...fields })}\n`);
}

/**
 * The resume state of this run in `dir` and its progress fields (parsed by `fields`), or null when there is none or
 * it belongs to another run. `perStep` counts the progress's per-step entries, which must equal the state's step.
 */
export function readResumeState<F extends z.ZodRawShape>(
  dir: string,
  progressFile: string,
  run: string,
  fields: F,
  perStep: (progress: z.infer<z.ZodObject<F>>) => number,
): { state: TrainState; progress: z.infer<z.ZodObject<F>> } | null {
  const progressPath = join(dir, RESUME_DIR, progressFile);
  if (!existsSync(progressPath)) return null;
  // zod cannot infer the spread of a generic shape: the schema's type is written out
  const schema = z.strictObject({ ...runShape, ...fields }) as unknown as z.ZodType<
    { run: string; step: number } & z.infer<z.ZodObject<F>>
  >;
  const { run: of, step, ...progress } = loadJsonConfig(schema, progressPath);
  if (of !== run) return null;
  const statePath = join(dir, RESUME_DIR, STATE_FILE);
  const { state } = loadCheckpoint(statePath);
  const own = progress as z.infer<z.ZodObject<F>>; // the fields without run and step
  if (state.step !== step || perStep(own) !== step) {
    throw new InputError({ file: progressPath, field: 'step', message: `does not match ${statePath}` });
  }
  return { state, progress: own };
}

const lossFields = { lossBefore: z.number(), losses: z.array(z.number()) };

/**
 * The sampler's stream as engine/checkpoint.ts records it: the loop does not restore it but replays the resumed
 * steps' batches from the seed, so the stored state is the stream's start.
 */
const samplerStart = (seed: number) => new Rng(seed).fork(2).state;

export function saveResume(
  dir: string,
  run: string,
  seed: number,
  p: LoopProgress,
  shapes: ReadonlyMap<string, Shape>,
): void {
  const fields = { lossBefore: p.lossBefore, losses: [...p.losses] };
  writeResumeState(dir, PROGRESS_FILE, run, p.state, samplerStart(seed), fields, shapes);
}

/** The resume state of this run in `dir`, or null when there is none or it belongs to another run. */
export function loadResume(dir: string, run: string): LoopProgress | null {
  const kept = readResumeState(dir, PROGRESS_FILE, run, lossFields, (p) => p.losses.length);
  return kept && { state: kept.state, ...kept.progress };
}

export function clearResume(dir: string): void {
  rmSync(join(dir, RESUME_DIR), { recursive: true, force: true });
}
