import { describe, expect, it } from 'vitest';
import { type HostTensor, i64 } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { createReferenceEngine } from '../engine/reference.js';
import { createOrtEngine } from '../engine/session.js';
import { initParams } from '../engine/trainer.js';
import {
  blockContext,
  declareTransformer,
  languageModel,
  REFERENCE_CONFIG,
  type TransformerConfig,
} from './transformer.js';

const CFG: TransformerConfig = {
  ...REFERENCE_CONFIG,
  vocab: 11,
  dModel: 16,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  ffnHidden: 24,
};
const SEQ = 6;

/** A forward graph (1, SEQ) tokens -> logits, and feeds for its seeded params. */
function forward() {
  const g = new Graph();
  const w = declareTransformer(g, CFG);
  const tokens = g.input('tokens', [1, SEQ], 'int64');
  g.output('logits', languageModel(g, tokens, w, blockContext(g, CFG, SEQ)));
  const init = initParams(g.params, 4);
  const feeds: Record<string, HostTensor> = {};
  for (const p of g.params)
    feeds[p.name] = { dtype: 'float32', shape: p.tensor.shape, data: init.get(p.name)! };
  return { g, feeds };
}

describe('transformer', () => {
  it('declares grouped-query weights: (C, (H + 2 KV) hd) for q, k, v and a (V, C) embedding', () => {
    const g = new Graph();
    const w = declareTransformer(g, CFG);
    expect(w.blocks[0]!.wqkv.shape).toEqual([16, (4 + 2 * 2) * 4]);
    expect(w.embed.shape).toEqual([11, 16]);
    expect(g.params.length).toBe(2 * 7 + 3); // per block: 2 norms, wqkv, wo, w_gate, w_up, w_down
  });

  it('is causal: logits up to t ignore tokens after t, and later logits do change', async () => {
    const { g, feeds } = forward();
    const engine = await createOrtEngine(g, { threads: 1 });
    const run = async (tokens: number[]) =>
      (await engine.run({ ...feeds, tokens: i64([1, SEQ], tokens) })).logits!.data as Float32Array;
    const a = await run([1, 2, 3, 4, 5, 6]);
    const b = await run([1, 2, 3, 9, 9, 9]);
    await engine.dispose();
    const upTo3 = 3 * CFG.vocab;
    expect(Array.from(b.subarray(0, upTo3))).toEqual(Array.from(a.subarray(0, upTo3)));
    expect(Array.from(b.subarray(upTo3))).not.toEqual(Array.from(a.subarray(upTo3)));
  });

  it('gives the same logits on onnxruntime as in the reference interpreter', async () => {
    const { g, feeds } = forward();
    const all = { ...feeds, tokens: i64([1, SEQ], [0, 3, 10, 3, 7, 1]) };
    const ref = (await createReferenceEngine(g).run(all)).logits!.data as Float32Array;
    const engine = await createOrtEngine(g, { threads: 1 });
    const ort = (await engine.run(all)).logits!.data as Float32Array;
    await engine.dispose();
    ort.forEach((v, i) => {
      expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-5);
    });
  });
});
