// An untrained tiny-student checkpoint written to a folder: a model driver whose plans are arbitrary but
// deterministic, for tests that need a model job (runners, the queue). Test support only; training never uses it.

import { fitActionBins } from '../labels/action-bins.js';
import { saveModelCheckpoint } from './checkpoint.js';
import { vlaPreset } from './config.js';
import { trainTokenizer } from './tokenizer.js';
import { VlaModel } from './vla.js';

/** Writes the checkpoint into `dir` (4 x 4 action bins, 300-token vocabulary, weights from `seed`). */
export function saveUntrainedCheckpoint(dir: string, seed = 5): void {
  const axis = { longitudinalBins: 4, lateralBins: 4 };
  const tokenizer = trainTokenizer(['Follow the road.'], { vocabSize: 300, ...axis });
  const accels = Float64Array.from({ length: 16 }, (_, i) => -2 + (i % 4)); // [m/s2]
  const bins = fitActionBins(
    accels,
    accels.map((a) => a / 100), // [1/m] curvatures
    axis,
  );
  const config = vlaPreset('tiny-student');
  const params = VlaModel.init(config, tokenizer.vocabSize, seed).params;
  saveModelCheckpoint(dir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
}
