// Test fixtures of the fleet: a freshly initialised tiny checkpoint (untrained, so unsure and erratic) saved to a
// folder. Test code only; not a trained model.

import { type ActionBins, fitActionBins } from '../labels/action-bins.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { VlaModel } from '../model/vla.js';

const BINS = 8; // action bins per axis

/**
 * Saves an untrained tiny-student checkpoint with weights from `seed` into `dir` (with a lake's action bins when
 * given, else 8 per axis fitted to made-up controls); returns `dir`.
 */
export function untrainedCheckpoint(dir: string, seed: number, lakeBins?: ActionBins): string {
  const accels = Float64Array.from({ length: 64 }, (_, i) => -3 + (i % 8)); // [m/s2]
  const bins =
    lakeBins ??
    fitActionBins(
      accels,
      accels.map((a) => a / 100), // [1/m]
      { longitudinalBins: BINS, lateralBins: BINS },
    );
  const tokenizer = trainTokenizer(['Follow the road.', 'clear; keep', 'Is the light red? yes no'], {
    vocabSize: 400,
    longitudinalBins: bins.longitudinal.centres.length,
    lateralBins: bins.lateral.centres.length,
  });
  const config = vlaPreset('tiny-student');
  const params = VlaModel.init(config, tokenizer.vocabSize, seed).params;
  saveModelCheckpoint(dir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
  return dir;
}
