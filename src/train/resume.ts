// A stage's resume state inside the checkpoint folder it is writing: resume/state.safetensors (params, AdamW
// moments, step: engine/checkpoint.ts) and resume/progress.json (what run it belongs to, the losses so far), the
// latter written last. Not a model checkpoint: the loader refuses a folder that has only this.

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { loadCheckpoint, saveCheckpoint } from '../engine/checkpoint.js';
import type { Shape } from '../engine/types.js';
import type { LoopProgress } from './loop.js';

export const RESUME_DIR = 'resume';
const STATE_FILE = 'state.safetensors';
const PROGRESS_FILE = 'progress.json';

const progressSchema = z.strictObject({
  run: z.string(), // what must be equal for the state to be resumed: stage, recipe, seed, lake, start
  step: z.int().positive(),
  lossBefore: z.number(),
  losses: z.array(z.number()),
});

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
  const at = join(dir, RESUME_DIR);
  rmSync(join(at, PROGRESS_FILE), { force: true }); // a kill while the state is replaced leaves no progress
  saveCheckpoint(join(at, STATE_FILE), { state: p.state, rng: samplerStart(seed) }, shapes);
  const progress = { run, step: p.state.step, lossBefore: p.lossBefore, losses: [...p.losses] };
  writeFileAtomic(join(at, PROGRESS_FILE), `${JSON.stringify(progress)}\n`);
}

/** The resume state of this run in `dir`, or null when there is none or it belongs to another run. */
export function loadResume(dir: string, run: string): LoopProgress | null {
  const progressPath = join(dir, RESUME_DIR, PROGRESS_FILE);
  if (!existsSync(progressPath)) return null;
  const progress = loadJsonConfig(progressSchema, progressPath);
  if (progress.run !== run) return null;
  const statePath = join(dir, RESUME_DIR, STATE_FILE);
  const { state } = loadCheckpoint(statePath);
  if (state.step !== progress.step || progress.losses.length !== progress.step) {
    throw new InputError({ file: progressPath, field: 'step', message: `does not match ${statePath}` });
  }
  return { state, lossBefore: progress.lossBefore, losses: progress.losses };
}

export function clearResume(dir: string): void {
  rmSync(join(dir, RESUME_DIR), { recursive: true, force: true });
}
