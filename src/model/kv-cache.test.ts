import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../engine/engine.js';
import { vlaPreset } from './config.js';
import { CachedScorer } from './kv-cache.js';
import { VlaModel } from './vla.js';

const CFG = vlaPreset('tiny-teacher'); // grouped-query: 4 heads over 2 key/value heads
const VOCAB = 50;
const FRAME = {
  camera: Uint8Array.from({ length: 128 * 64 * 3 }, (_, i) => (i * 13) % 256),
  bev: Uint8Array.from({ length: 8 * 64 * 64 }, (_, i) => (i % 97 === 0 ? 255 : 0)),
  ego: { speed: 6 },
};

describe('KV-cache decoding', () => {
  it('gives the uncached logits after a prefill and after each appended token', async () => {
    const model = VlaModel.init(CFG, VOCAB, 21);
    const scorer = new CachedScorer(
      CFG,
      VOCAB,
      new Map<string, HostTensor>(Object.entries(model.paramFeeds)),
      1,
    );
    const ids = [1, 5, 7, 9, 11, 2, 40, 33, 3, 17, 8, 8, 4, 30, 31, 32, 6, 12, 19, 44];
    scorer.reset(FRAME);
    const full = await model.logits(FRAME, ids, 32);
    for (const n of [3, 4, 5, 12, 17, 18, 20]) {
      const row = scorer.score(ids.slice(0, n));
      const want = full.subarray((n - 1) * VOCAB, n * VOCAB);
      for (let v = 0; v < VOCAB; v++) expect(row[v]).toBeCloseTo(want[v]!, 4);
    }
    expect(() => scorer.score([2, 2, 2, ...ids.slice(3)])).toThrow(/extend/);
    scorer.reset(FRAME); // a fresh sequence: prefill again with a longer prompt
    const row = scorer.score(ids.slice(0, 10));
    for (let v = 0; v < VOCAB; v++) expect(row[v]).toBeCloseTo(full[9 * VOCAB + v]!, 4);
    await Promise.all([scorer.dispose(), model.dispose()]);
  });
});
