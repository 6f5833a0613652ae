// Training checkpoints: params, AdamW moments, step and the data sampler's rng state in one safetensors file,
// written atomically so a kill leaves the previous checkpoint or the new one. Not model export (compress/).

import { InputError, UsageError } from '../core/errors.js';
import type { RngState } from '../core/rng.js';
import { type HostTensor, hostTensor } from './engine.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { Trainer, TrainState } from './trainer.js';
import type { Shape } from './types.js';

const FORMAT = 'drivefm-train-1';
const GROUPS = { params: 'param.', m: 'adam_m.', v: 'adam_v.' } as const;

export interface Checkpoint {
  readonly state: TrainState;
  readonly rng: RngState; // the sampler's stream, so a resumed run draws the same batches
}

/**
 * Writes `checkpoint`; every tensor keeps its param's shape from `shapes` (Trainer.paramShapes()), so other
 * safetensors tools see (768, 64), not (49152). Files of drivefm-train-1 written before stored them 1-D: they
 * still load, since loading checks element counts.
 */
export function saveCheckpoint(
  path: string,
  checkpoint: Checkpoint,
  shapes: ReadonlyMap<string, Shape>,
): void {
  const tensors = new Map<string, HostTensor>();
  for (const [group, prefix] of Object.entries(GROUPS) as [keyof typeof GROUPS, string][]) {
    for (const [name, data] of checkpoint.state[group]) {
      const shape = shapes.get(name);
      if (!shape) throw new UsageError(`checkpoint ${path}: no shape for param '${name}'`);
      tensors.set(prefix + name, hostTensor('float32', shape, data));
    }
  }
  const metadata = {
    format: FORMAT,
    step: String(checkpoint.state.step),
    rng: JSON.stringify(checkpoint.rng),
  };
  writeSafetensors(path, tensors, metadata);
}

export function loadCheckpoint(file: string): Checkpoint {
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== FORMAT) {
    throw new InputError({
      file,
      field: 'format',
      message: `expected '${FORMAT}', got '${metadata.format}'`,
    });
  }
  const step = Number(metadata.step);
  if (!Number.isInteger(step) || step < 0)
    throw new InputError({ file, field: 'step', message: `bad step '${metadata.step}'` });
  let rng: unknown;
  try {
    rng = JSON.parse(metadata.rng ?? '');
  } catch {
    rng = undefined;
  }
  if (
    !Array.isArray(rng) ||
    rng.length !== 4 ||
    !rng.every((w) => Number.isInteger(w) && Math.abs(w) < 2 ** 32) // sfc32 words may be signed
  ) {
    throw new InputError({ file, field: 'rng', message: 'rng state must be four 32-bit integers' });
  }
  const group = (prefix: string) => {
    const out = new Map<string, Float32Array>();
    for (const [name, t] of tensors) {
      if (!name.startsWith(prefix)) continue;
      if (t.dtype !== 'float32')
        throw new InputError({ file, field: name, message: `expected F32, got ${t.dtype}` });
      out.set(name.slice(prefix.length), t.data as Float32Array);
    }
    return out;
  };
  const state = { step, params: group(GROUPS.params), m: group(GROUPS.m), v: group(GROUPS.v) };
  return { state, rng: rng as unknown as RngState };
}

/** Loads `file` into `trainer`, refusing a checkpoint of another model with an InputError naming the param. */
export function restoreCheckpoint(trainer: Trainer, file: string): Checkpoint {
  const checkpoint = loadCheckpoint(file);
  const { state } = checkpoint;
  for (const p of trainer.paramSpecs) {
    const n = p.tensor.shape.reduce((a, b) => a * b, 1);
    for (const [group, prefix] of Object.entries(GROUPS) as [keyof typeof GROUPS, string][]) {
      const got = state[group].get(p.name)?.length;
      if (got !== n) {
        throw new InputError({
          file,
          field: prefix + p.name,
          message: `expected ${n} values, found ${got ?? 'none'}`,
        });
      }
    }
  }
  if (state.params.size !== trainer.paramSpecs.length) {
    throw new InputError({
      file,
      message: `has ${state.params.size} params, the model has ${trainer.paramSpecs.length}`,
    });
  }
  trainer.load(state);
  return checkpoint;
}
