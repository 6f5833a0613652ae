import { describe, expect, it } from 'vitest';
import { f32, type HostTensor, i64 } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { createReferenceEngine } from '../engine/reference.js';
import { createOrtEngine } from '../engine/session.js';
import { initParams } from '../engine/trainer.js';
import {
  blockContext,
  cachedContext,
  declareTransformer,
  decoder,
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

  it('decodes with a KV cache through the same attention: a 4-token prefill, then one token a run, as the full forward', async () => {
    const TMAX = 8; // cache rows, more than the sequence: rows past the last position must stay unread
    const HD = CFG.dModel / CFG.heads;
    const cached = (n: number) => {
      const g = new Graph();
      const w = declareTransformer(g, CFG);
      const tokens = g.input('tokens', [1, n], 'int64');
      const positions = g.input('positions', [n], 'int64');
      const caches = w.blocks.map((_, l) => ({
        k: g.input(`k${l}`, [1, CFG.kvHeads, TMAX, HD]),
        v: g.input(`v${l}`, [1, CFG.kvHeads, TMAX, HD]),
      }));
      const ctx = cachedContext(g, CFG, positions, TMAX);
      const run = decoder(g, g.gather(w.embed, tokens), w, ctx, caches);
      g.output('logits', g.matmul(run.hidden, w.lmHead));
      run.caches.forEach((c, l) => {
        g.output(`new.k${l}`, c.k);
        g.output(`new.v${l}`, c.v);
      });
      return createReferenceEngine(g);
    };
    const ids = [0, 3, 10, 3, 7, 1];
    const { g, feeds } = forward();
    const full = (await createReferenceEngine(g).run({ ...feeds, tokens: i64([1, SEQ], ids) })).logits!.data;
    const garbage = Float32Array.from({ length: CFG.kvHeads * TMAX * HD }, (_, i) => Math.sin(i)); // stale rows
    let caches: Record<string, HostTensor> = {};
    for (let l = 0; l < CFG.layers; l++) {
      caches[`k${l}`] = f32([1, CFG.kvHeads, TMAX, HD], garbage);
      caches[`v${l}`] = f32([1, CFG.kvHeads, TMAX, HD], garbage);
    }
    const got: number[] = [];
    const prefill = await cached(4).run({
      ...feeds,
      ...caches,
      tokens: i64([1, 4], ids.slice(0, 4)),
      positions: i64([4], [0, 1, 2, 3]),
    });
    got.push(...(prefill.logits!.data as Float32Array));
    const step = cached(1);
    let out = prefill;
    for (let t = 4; t < SEQ; t++) {
      caches = Object.fromEntries(Object.keys(caches).map((name) => [name, out[`new.${name}`]!]));
      out = await step.run({ ...feeds, ...caches, tokens: i64([1, 1], [ids[t]!]), positions: i64([1], [t]) });
      got.push(...(out.logits!.data as Float32Array));
    }
    expect(got).toHaveLength(SEQ * CFG.vocab);
    got.forEach((v, i) => {
      expect(Math.abs(v - Number(full[i]))).toBeLessThan(1e-5);
    });
  });
});
