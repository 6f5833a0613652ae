// Test fixtures of the fleet: a freshly initialised tiny checkpoint (untrained, so unsure and erratic) saved to a
// folder, with a tokenizer that knows the QA words. Test code only; not a trained model.

import type { ActionBins } from '../labels/action-bins.js';
import { saveUntrainedCheckpoint } from '../model/fixtures.js';

const TEXTS = ['Follow the road.', 'clear; keep', 'Is the light red? yes no'];

/** Saves it with weights from `seed` into `dir` (with a lake's action bins when given, else 8 per axis); returns `dir`. */
export function untrainedCheckpoint(dir: string, seed: number, lakeBins?: ActionBins): string {
  return saveUntrainedCheckpoint(dir, { seed, bins: lakeBins, texts: TEXTS, vocabSize: 400 });
}
