// An RL stage's resume state inside the checkpoint folder it is writing: resume/state.safetensors (params, AdamW
// moments, step) and resume/rl-progress.json (what run it belongs to, the curve so far), the latter written last,
// through the offline stages' mechanism (train/resume.ts) with another progress file.

import { z } from 'zod';
import { Rng } from '../../core/rng.js';
import type { TrainState } from '../../engine/trainer.js';
import type { Shape } from '../../engine/types.js';
import { readResumeState, writeResumeState } from '../resume.js';
import { type GrpoPoint, grpoPointSchema } from './grpo.js';

const PROGRESS_FILE = 'rl-progress.json';
const curveFields = { curve: z.array(grpoPointSchema) };

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
  // the scene draws come from (seed, step), not a stored stream: the rng field is a fixed placeholder
  writeResumeState(dir, PROGRESS_FILE, run, p.state, new Rng(0).state, { curve: [...p.curve] }, shapes);
}

/** The resume state of this run in `dir`, or null when there is none or it belongs to another run. */
export function loadRlResume(dir: string, run: string): RlProgress | null {
  const kept = readResumeState(dir, PROGRESS_FILE, run, curveFields, (p) => p.curve.length);
  return kept && { state: kept.state, curve: kept.progress.curve };
}
