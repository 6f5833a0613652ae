import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { fitActionBins } from '../labels/action-bins.js';
import { CONFIG_FILE, loadModelCheckpoint, modelOf, saveModelCheckpoint } from './checkpoint.js';
import { vlaPreset } from './config.js';
import { trainTokenizer } from './tokenizer.js';
import { VlaModel } from './vla.js';

const dir = mkdtempSync(join(tmpdir(), 'vla-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CFG = vlaPreset('tiny-student');
const FRAME = {
  camera: new Uint8Array(128 * 64 * 3).fill(90),
  bev: new Uint8Array(8 * 64 * 64),
  ego: { speed: 5 },
};

describe('model checkpoint', () => {
  it('saves and loads a model that gives identical logits, with tokenizer, bins and stages', async () => {
    const tokenizer = trainTokenizer(['stop at the red light', 'keep the lane'], {
      vocabSize: 350,
      longitudinalBins: 4,
      lateralBins: 4,
    });
    const bins = fitActionBins(Float64Array.of(-1, 0, 1, 2), Float64Array.of(0, 0.01, -0.01, 0), {
      longitudinalBins: 4,
      lateralBins: 4,
    });
    const model = VlaModel.init(CFG, tokenizer.vocabSize, 11);
    const stages = [{ stage: 'pretrain', steps: 3, lossBefore: 6, lossAfter: 5, secondsPerStep: 0.1 }];
    saveModelCheckpoint(dir, {
      preset: 'tiny-student',
      config: CFG,
      tokenizer,
      bins,
      params: model.params,
      stages,
    });
    const loaded = loadModelCheckpoint(dir);
    expect(loaded.stages).toEqual([{ stage: 'pretrain', steps: 3, lossBefore: 6, lossAfter: 5 }]); // no wall time
    expect(loaded.tokenizer.encode('stop at the red light')).toEqual(
      tokenizer.encode('stop at the red light'),
    );
    expect(Array.from(loaded.bins.longitudinal.centres)).toEqual(Array.from(bins.longitudinal.centres));
    const again = modelOf(loaded);
    const ids = [1, 5, 9, tokenizer.vocabSize - 1];
    expect(Array.from(await again.logits(FRAME, ids))).toEqual(Array.from(await model.logits(FRAME, ids)));
    await Promise.all([model.dispose(), again.dispose()]);
  });

  it('refuses a folder without a config and a config of the wrong format', () => {
    expect(() => loadModelCheckpoint(join(dir, 'nothing'))).toThrow(InputError);
    writeFileSync(join(dir, CONFIG_FILE), '{"format":"other"}');
    expect(() => loadModelCheckpoint(dir)).toThrow(/format/);
  });
});
