// Test fixtures of the fleet: a freshly initialised tiny checkpoint (untrained, so unsure and erratic) saved to a
// folder. Test code only; not a trained model.

import { fitActionBins } from '../labels/action-bins.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { VlaModel } from '../model/vla.js';

const BINS = 8; // action bins per axis

/** Saves an untrained tiny-student checkpoint with weights from `seed` into `dir`; returns `dir`. */
export function untrainedCheckpoint(dir: string, seed: number): string {
  const tokenizer = trainTokenizer(['Follow the road.', 'clear; keep', 'Is the light red? yes no'], {
    vocabSize: 300,
    longitudinalBins: BINS,
    lateralBins: BINS,
  });
  const accels = Float64Array.from({ length: 64 }, (_, i) => -3 + (i % 8)); // [m/s2]
  const bins = fitActionBins(
    accels,
    accels.map((a) => a / 100), // [1/m]
    { longitudinalBins: BINS, lateralBins: BINS },
  );
  const config = vlaPreset('tiny-student');
  const params = VlaModel.init(config, tokenizer.vocabSize, seed).params;
  saveModelCheckpoint(dir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
  return dir;
}
