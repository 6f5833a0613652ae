import { describe, expect, it } from 'vitest';
import { f32, i64 } from './engine.js';
import { Graph } from './graph.js';
import { type AdamWConfig, adamw, DEFAULT_ADAMW, learningRate } from './optim.js';
import { createReferenceEngine } from './reference.js';
import { createOrtEngine } from './session.js';

const C: AdamWConfig = {
  ...DEFAULT_ADAMW,
  lr: 0.1,
  minLr: 0.01,
  warmupSteps: 4,
  totalSteps: 12,
  clipNorm: 1,
};

/** One AdamW step on 3 params [w, w, b] (b not decayed) with gradient `grad`, run by `engine`. */
async function step(engine: 'reference' | 'onnxruntime', stepIndex: number, grad: number[]) {
  const g = new Graph();
  const p = g.input('p', [3]);
  const gr = g.input('g', [3]);
  const out = adamw(g, p, gr, Float32Array.of(1, 1, 0), C);
  g.output('p2', out.newParams);
  g.output('lr', out.lr);
  g.output('norm', out.gradNorm);
  const e = engine === 'reference' ? createReferenceEngine(g) : await createOrtEngine(g, { threads: 1 });
  const res = await e.run({
    p: f32([3], [1, -2, 0.5]),
    g: f32([3], grad),
    m: f32([3], [0, 0, 0]),
    v: f32([3], [0, 0, 0]),
    step: i64([], [stepIndex]),
  });
  await e.dispose();
  return {
    p: Array.from(res.p2!.data as Float32Array),
    lr: Number(res.lr!.data[0]),
    norm: Number(res.norm!.data[0]),
  };
}

describe('AdamW in the graph', () => {
  it('follows warmup then cosine, matching the TypeScript schedule', async () => {
    expect(learningRate(0, C)).toBeCloseTo(0.025); // 1/4 of the way up
    expect(learningRate(3, C)).toBeCloseTo(0.1); // peak at the end of warmup
    expect(learningRate(7, C)).toBeCloseTo(0.01 + 0.045 * (1 + Math.cos(Math.PI * 0.5)));
    expect(learningRate(50, C)).toBeCloseTo(0.01); // floor after totalSteps
    for (const s of [0, 2, 3, 7, 11, 50])
      expect((await step('reference', s, [0, 0, 0])).lr).toBeCloseTo(learningRate(s, C), 6);
  });

  it('clips the global norm, decays only marked params, and matches the closed form of a first step', async () => {
    const grad = [3, 0, 4]; // norm 5 -> clipped to 1
    const r = await step('reference', 0, grad);
    expect(r.norm).toBeCloseTo(5);
    // first step: m_hat = g', v_hat = g'^2, so the update is lr * sign(g') (up to eps) plus decay on w
    const lr = learningRate(0, C);
    const want = [1 * (1 - lr * C.weightDecay) - lr, -2 * (1 - lr * C.weightDecay), 0.5 - lr];
    r.p.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
    const o = await step('onnxruntime', 0, grad);
    o.p.forEach((v, i) => {
      expect(v).toBeCloseTo(r.p[i]!, 6);
    });
  });
});
