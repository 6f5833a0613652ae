// Untrained tiny-student checkpoints for tests: arbitrary but deterministic models (runners, the queue, the fleet,
// the model driver, the vehicle file). One builder; each caller names the sizes it needs. Test support only: training
// never uses it.

import { type ActionBins, fitActionBins } from '../labels/action-bins.js';
import type { ModelCheckpoint } from './checkpoint.js';
import { saveModelCheckpoint } from './checkpoint.js';
import { vlaPreset } from './config.js';
import { trainTokenizer } from './tokenizer.js';
import { VlaModel } from './vla.js';

export interface UntrainedOptions {
  readonly seed: number; // of the weights
  readonly binsPerAxis?: number; // fitted to made-up controls when `bins` is not given (default 8)
  readonly bins?: ActionBins; // e.g. a lake's
  readonly texts?: readonly string[]; // the tokenizer's training texts
  readonly vocabSize?: number;
  readonly widen?: number; // multiplies the init's weights: logits far from ties (default 1)
}

/** The untrained tiny-student checkpoint, in memory. */
export function untrainedTinyModel(o: UntrainedOptions): Omit<ModelCheckpoint, 'stages'> {
  const n = o.binsPerAxis ?? 8;
  const accels = Float64Array.from({ length: n * n }, (_, i) => 1 - n / 2 + (i % n)); // [m/s2]
  const bins =
    o.bins ??
    fitActionBins(
      accels,
      accels.map((a) => a / 100), // [1/m] curvatures
      { longitudinalBins: n, lateralBins: n },
    );
  const tokenizer = trainTokenizer(o.texts ?? ['Follow the road.', 'clear; keep'], {
    vocabSize: o.vocabSize ?? 300,
    longitudinalBins: bins.longitudinal.centres.length,
    lateralBins: bins.lateral.centres.length,
  });
  const config = vlaPreset('tiny-student');
  const init = VlaModel.init(config, tokenizer.vocabSize, o.seed).params;
  const widen = o.widen ?? 1;
  const params = widen === 1 ? init : new Map([...init].map(([k, v]) => [k, v.map((x) => x * widen)]));
  return { preset: 'tiny-student', config, tokenizer, bins, params };
}

/** Writes the untrained tiny-student checkpoint into `dir`; returns `dir`. */
export function saveUntrainedCheckpoint(dir: string, o: UntrainedOptions): string {
  saveModelCheckpoint(dir, { ...untrainedTinyModel(o), stages: [] });
  return dir;
}
