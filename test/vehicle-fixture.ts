// The tiny vehicle-file fixture shared by the vehicle-file and runtime tests: an untrained tiny-student checkpoint
// (widened init, so greedy tokens are far from ties) with a small tokenizer and bins. Not a trained model.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { fitActionBins } from '../src/labels/action-bins.js';
import { saveModelCheckpoint } from '../src/model/checkpoint.js';
import { vlaPreset } from '../src/model/config.js';
import { trainTokenizer } from '../src/model/tokenizer.js';
import { VlaModel } from '../src/model/vla.js';

const BINS = 8;
export const INSTRUCTION = 'Follow the road.';
export const tokenizer = trainTokenizer([INSTRUCTION, 'clear; keep'], {
  vocabSize: 300,
  longitudinalBins: BINS,
  lateralBins: BINS,
});
const accels = Float64Array.from({ length: 64 }, (_, i) => -3 + (i % 8));
export const bins = fitActionBins(
  accels,
  accels.map((a) => a / 100),
  { longitudinalBins: BINS, lateralBins: BINS },
);
export const config = vlaPreset('tiny-student');
const WIDEN = 10; // a wider init than training's 0.02 so the untrained model's logits are far from ties
export const params = new Map(
  [...VlaModel.init(config, tokenizer.vocabSize, 7).params].map(([k, v]) => [k, v.map((x) => x * WIDEN)]),
);

/** A temporary folder holding the checkpoint (`ckptDir`); `remove()` deletes it. */
export function vehicleFixture(prefix: string): { dir: string; ckptDir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ckptDir = join(dir, 'ckpt');
  saveModelCheckpoint(ckptDir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
  return { dir, ckptDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Random sensor bytes, speed and the instruction: a frame as the car script takes it. */
export function randomFrame(seed: number) {
  const rng = new Rng(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => rng.int(256));
  const { camera, bev } = config;
  return {
    camera: bytes(camera.width * camera.height * 3),
    bev: bytes(bev.channels * bev.size * bev.size),
    speed: rng.uniform(0, 15),
    instruction: INSTRUCTION,
  };
}
