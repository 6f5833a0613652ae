import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Graph } from '../engine/graph.js';
import { DEFAULT_ADAMW } from '../engine/optim.js';
import { Trainer } from '../engine/trainer.js';
import { vlaPreset } from './config.js';
import {
  bevPatches,
  cameraPatches,
  declareVla,
  frameFeeds,
  IGNORE,
  patchShapes,
  prefixLength,
  tokenFeed,
  type VlaFrame,
  VlaModel,
  vlaLoss,
} from './vla.js';

const CFG = vlaPreset('tiny-student');
const VOCAB = 40;

function frame(seed: number): VlaFrame {
  const rng = new Rng(seed);
  const { camera, bev } = CFG;
  return {
    camera: Uint8Array.from({ length: camera.width * camera.height * 3 }, () => rng.int(256)),
    bev: Uint8Array.from({ length: bev.channels * bev.size * bev.size }, () => (rng.chance(0.1) ? 255 : 0)),
    ego: { speed: 8 },
  };
}

describe('vla', () => {
  it('puts 32 camera patches, 16 BEV patches and an ego token before the text', () => {
    const s = patchShapes(CFG);
    expect([s.cameraTokens, s.cameraWidth, s.bevTokens, s.bevWidth]).toEqual([32, 768, 16, 2048]);
    expect(prefixLength(CFG)).toBe(49);
  });

  it('patchifies the pixel at row 17, column 35 into patch 10 (row 1, col 2) at (1, 3)', () => {
    const camera = new Uint8Array(128 * 64 * 3);
    camera[(17 * 128 + 35) * 3 + 2] = 255; // blue channel
    const out = new Float32Array(32 * 768);
    cameraPatches(CFG, camera, out);
    const hot = out.findIndex((v) => v > 0.99);
    expect(hot).toBe(10 * 768 + (1 * 16 + 3) * 3 + 2);
    const bev = new Uint8Array(8 * 64 * 64);
    bev[(5 * 64 + 20) * 64 + 33] = 255; // channel 5, row 20, column 33: patch (1, 2) = 6, (ch 5, 4, 1)
    const bout = new Float32Array(16 * 2048);
    bevPatches(CFG, bev, bout);
    expect(bout.findIndex((v) => v > 0.5)).toBe(6 * 2048 + (5 * 16 + 4) * 16 + 1);
  });

  it('learns to copy a token: the masked loss falls on a fixed batch', async () => {
    const B = 2;
    const S = 8;
    const trainer = await Trainer.create({
      build: (g) => vlaLoss(g, CFG, VOCAB, B, S),
      optim: { ...DEFAULT_ADAMW, lr: 1e-2, warmupSteps: 1, totalSteps: 30 },
      seed: 1,
    });
    const rows = [
      [1, 5, 6, 7, 5, 6, 7, 5],
      [1, 9, 3, 9, 3, 9, 3, 9],
    ];
    const targets = tokenFeed(
      rows.map((r) => r.map((_, i) => (i >= 2 && i < S - 1 ? r[i + 1]! : IGNORE))),
      S,
      IGNORE,
    );
    const batch = { ...frameFeeds(CFG, [frame(1), frame(2)]), tokens: tokenFeed(rows, S, 0), targets };
    const first = (await trainer.trainStep(batch)).loss;
    for (let i = 0; i < 25; i++) await trainer.trainStep(batch);
    const last = await trainer.evalLoss(batch);
    expect(first).toBeGreaterThan(Math.log(VOCAB) - 0.5);
    expect(last).toBeLessThan(0.5 * first);
    await trainer.dispose();
  });

  it('gives the same logits for a prefix whatever the padded length (causal)', async () => {
    const model = VlaModel.init(CFG, VOCAB, 3);
    const a = await model.logits(frame(4), [1, 2, 3], 16);
    const b = await model.logits(frame(4), [1, 2, 3, 4, 5], 32);
    for (let i = 0; i < 3 * VOCAB; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    await model.dispose();
  });

  it('decodes deterministically: greedy always, sampling per seed, within allowed ranges', async () => {
    const model = VlaModel.init(CFG, VOCAB, 5);
    const f = frame(6);
    const allowed = (k: number) => (k % 2 === 0 ? ([10, 20] as const) : ([20, 30] as const));
    const greedy = await model.generate(f, [1, 2], { maxNew: 6, allowed });
    expect(await model.generate(f, [1, 2], { maxNew: 6, allowed })).toEqual(greedy);
    const sample = (seed: number) =>
      model.generate(f, [1, 2], { maxNew: 6, allowed, temperature: 5, rng: new Rng(seed) });
    const s1 = await sample(7);
    expect(await sample(7)).toEqual(s1);
    const others = await Promise.all([8, 9, 10].map(sample));
    expect(others.some((o) => o.join() !== s1.join())).toBe(true);
    s1.forEach((id, k) => {
      const [lo, hi] = allowed(k);
      expect(id >= lo && id < hi).toBe(true);
    });
    await model.dispose();
  });

  it('stops at a stop token and refuses params of another shape', async () => {
    const g = new Graph();
    declareVla(g, CFG, VOCAB);
    const model = VlaModel.init(CFG, VOCAB, 5);
    const out = await model.generate(frame(1), [1], { maxNew: 8, allowed: () => [3, 4], stop: new Set([3]) });
    expect(out).toEqual([3]);
    const params = new Map(model.params);
    params.set('ego.type', new Float32Array(3));
    expect(() => new VlaModel(CFG, VOCAB, params)).toThrow(/ego.type/);
    await model.dispose();
  });
});
