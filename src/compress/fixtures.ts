// An untrained tiny-student vehicle checkpoint and random car frames for the compress, vehicle-file and runtime
// tests. Test support only: no pipeline step uses it.

import { Rng } from '../core/rng.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { untrainedTinyModel } from '../model/fixtures.js';
import type { CarFrame } from './quantise.js';

export const INSTRUCTION = 'Follow the road.'; // a text the tokenizer was trained on
/** The untrained tiny student, its init widened 10x so that its logits are far from ties. */
const model = untrainedTinyModel({ seed: 7, widen: 10 });
export const { tokenizer, bins, params, config: tinyConfig } = model;

/** Saves the checkpoint in `dir`. */
export function saveTinyVehicleCheckpoint(dir: string): void {
  saveModelCheckpoint(dir, { ...model, stages: [] });
}

/** Random sensor bytes and speed; `contrast` in (0, 1] pulls the bytes towards mid-grey 128. */
export function randomCarFrame(seed: number, contrast = 1): CarFrame {
  const rng = new Rng(seed);
  const bytes = (n: number) =>
    Uint8Array.from({ length: n }, () => Math.round(128 + (rng.int(256) - 128) * contrast));
  const { camera, bev } = tinyConfig;
  return {
    frame: {
      camera: bytes(camera.width * camera.height * 3),
      bev: bytes(bev.channels * bev.size * bev.size),
      ego: { speed: Math.fround(rng.uniform(0, 15)) },
    },
    instruction: INSTRUCTION,
  };
}
