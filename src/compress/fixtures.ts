// An untrained tiny-student vehicle checkpoint and random car frames for the compress, vehicle-file and runtime
// tests. Test support only: no pipeline step uses it.

import { Rng } from '../core/rng.js';
import { fitActionBins } from '../labels/action-bins.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { VlaModel } from '../model/vla.js';
import type { CarFrame } from './quantise.js';

const BINS = 8;
export const INSTRUCTION = 'Follow the road.';
export const tinyConfig = vlaPreset('tiny-student');

export const tokenizer = trainTokenizer([INSTRUCTION, 'clear; keep'], {
  vocabSize: 300,
  longitudinalBins: BINS,
  lateralBins: BINS,
});
const accels = Float64Array.from({ length: 64 }, (_, i) => -3 + (i % 8)); // [m/s2]
export const bins = fitActionBins(
  accels,
  accels.map((a) => a / 100), // [1/m] curvatures
  { longitudinalBins: BINS, lateralBins: BINS },
);
const WIDEN = 10; // a wider init than training's 0.02 so the untrained model's logits are far from ties
export const params = new Map(
  [...VlaModel.init(tinyConfig, tokenizer.vocabSize, 7).params].map(([k, v]) => [k, v.map((x) => x * WIDEN)]),
);

/** Saves the checkpoint in `dir`. */
export function saveTinyVehicleCheckpoint(dir: string): void {
  saveModelCheckpoint(dir, {
    preset: 'tiny-student',
    config: tinyConfig,
    tokenizer,
    bins,
    params,
    stages: [],
  });
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
