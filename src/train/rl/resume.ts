// An RL stage's resume state inside the checkpoint folder it is writing: resume/state.safetensors (params, AdamW
// moments, step) and resume/rl-progress.json (what run it belongs to, the curve so far), the latter written last.
// Not the offline stages' resume files (train/resume.ts), though they share the folder name.

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic.js';
import { loadJsonConfig } from '../../core/config.js';
import { InputError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { loadCheckpoint, saveCheckpoint } from '../../engine/checkpoint.js';
import type { TrainState } from '../../engine/trainer.js';
import type { Shape } from '../../engine/types.js';
import { RESUME_DIR } from '../resume.js';
import { type GrpoPoint, grpoPointSchema } from './grpo.js';

const STATE_FILE = 'state.safetensors';
const PROGRESS_FILE = 'rl-progress.json';

const progressSchema = z.strictObject({
  run: z.string(), // what must be equal for the state to be resumed: stage, recipe, seed, lake, start
  step: z.int().positive(),
  curve: z.array(grpoPointSchema),
});

export interface RlProgress {
  readonly state: TrainState;
  readonly curve: readonly GrpoPoint[];
}

export function saveRlResume(
  dir: string,
  run: string,
  p: RlProgress,
  shapes: ReadonlyMap<string, Shape>,
): void {
  const at = join(dir, RESUME_DIR);
  rmSync(join(at, PROGRESS_FILE), { force: true }); // a kill while the state is replaced leaves no progress
  // the scene draws come from (seed, step), not a stored stream: the rng field is a fixed placeholder
  saveCheckpoint(join(at, STATE_FILE), { state: p.state, rng: new Rng(0).state }, shapes);
  const progress = { run, step: p.state.step, curve: [...p.curve] };
  writeFileAtomic(join(at, PROGRESS_FILE), `${JSON.stringify(progress)}\n`);
}

/** The resume state of this run in `dir`, or null when there is none or it belongs to another run. */
export function loadRlResume(dir: string, run: string): RlProgress | null {
  const progressPath = join(dir, RESUME_DIR, PROGRESS_FILE);
  if (!existsSync(progressPath)) return null;
  const progress = loadJsonConfig(progressSchema, progressPath);
  if (progress.run !== run) return null;
  const statePath = join(dir, RESUME_DIR, STATE_FILE);
  const { state } = loadCheckpoint(statePath);
  if (state.step !== progress.step || progress.curve.length !== progress.step) {
    throw new InputError({ file: progressPath, field: 'step', message: `does not match ${statePath}` });
  }
  return { state, curve: progress.curve };
}
