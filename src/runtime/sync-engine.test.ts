import { describe, expect, it } from 'vitest';
import { vlaPreset } from '../model/config.js';
import { frameFeeds, logitsGraph, tokenFeed, VlaModel } from '../model/vla.js';
import { SyncOrtEngine } from './sync-engine.js';

const CFG = vlaPreset('tiny-student');
const FRAME = {
  camera: Uint8Array.from({ length: 128 * 64 * 3 }, (_, i) => (i * 7) % 256),
  bev: new Uint8Array(8 * 64 * 64).fill(255, 0, 4096),
  ego: { speed: 3 },
};

describe('SyncOrtEngine', () => {
  it('blocks for a run in a worker and matches the async engine with the params baked in', async () => {
    const model = VlaModel.init(CFG, 30, 2);
    const weights = new Map(Object.entries(model.paramFeeds));
    const engine = SyncOrtEngine.create(logitsGraph(CFG, 30, 16), weights, 1);
    const ids = [1, 4, 9];
    const out = engine.run({ ...frameFeeds(CFG, [FRAME]), tokens: tokenFeed([ids], 16, 0) });
    const expected = await model.logits(FRAME, ids, 16);
    expect(out.logits!.shape).toEqual([1, 16, 30]);
    const got = out.logits!.data as Float32Array;
    for (let i = 0; i < 3 * 30; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
    expect(() => engine.run({ tokens: tokenFeed([ids], 16, 0) })).toThrow(/onnxruntime worker/);
    await Promise.all([engine.dispose(), model.dispose()]);
  });
});
