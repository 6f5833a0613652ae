// KV-cache decoding for the VLA: a prefill graph over [image][ego][prompt] that also returns every layer's keys
// and values, and a one-token step graph that reads and extends them. Not training; the same attention as
// model/transformer.ts (its blocks, RoPE angles and rotate-half; grouped-query heads), checked against the
// uncached logits in tests.
//
// Cache per layer: keys and values (1, KV, Tmax, hd), Tmax = config.maxSeq. A run writing positions `positions`
// overwrites those rows and lets each query see keys at positions <= its own, so rows past the current position
// (e.g. a padded prompt's tail) are never read before being overwritten.

import { UsageError } from '../core/errors.js';
import type { Feeds, HostTensor } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { arange, oneHot, rmsNorm } from '../engine/nn.js';
import { SyncOrtEngine } from '../engine/sync-engine.js';
import type { Tensor } from '../engine/types.js';
import type { VlaConfig } from '../model/config.js';
import type { BlockWeights, TransformerConfig } from '../model/transformer.js';
import { preNormBlock, ropeAngle, rotateHalf, transformerConfigOf } from '../model/transformer.js';
import {
  declareInputs,
  declareVla,
  embedSequence,
  frameFeeds,
  prefixLength,
  tokenFeed,
  type VlaFrame,
  type VlaWeights,
} from '../model/vla.js';

const MASKED = -1e9; // as transformer.ts: finite, so a fully masked row never makes NaN
const TEXT_BUCKET = 16; // prefill graphs are built for prompts rounded up to this [tokens]

interface Rope {
  readonly cos: Tensor; // (Tmax, hd)
  readonly sin: Tensor; // (Tmax, hd), negated on the first half (rotate_half's sign)
}

function ropeTables(g: Graph, c: TransformerConfig, tmax: number): Rope {
  const hd = c.dModel / c.heads;
  const half = hd / 2;
  const cos = new Float32Array(tmax * hd);
  const sin = new Float32Array(tmax * hd);
  for (let t = 0; t < tmax; t++) {
    for (let i = 0; i < hd; i++) {
      const angle = ropeAngle(c, t, i);
      cos[t * hd + i] = Math.cos(angle);
      sin[t * hd + i] = (i < half ? -1 : 1) * Math.sin(angle);
    }
  }
  return { cos: g.constant(cos, [tmax, hd]), sin: g.constant(sin, [tmax, hd]) };
}

/** Grouped-query attention of N new positions against the cache; returns the output and the updated cache. */
function cachedAttention(
  g: Graph,
  x: Tensor, // (1, N, C)
  w: BlockWeights,
  c: TransformerConfig,
  positions: Tensor, // (N) int64
  rope: Rope,
  cache: { k: Tensor; v: Tensor }, // (1, KV, Tmax, hd)
) {
  const { heads: H, kvHeads: KV, dModel: C } = c;
  const N = x.shape[1]!;
  const hd = C / H;
  const G = H / KV;
  const tmax = cache.k.shape[2]!;
  const qkv = g.transpose(g.reshape(g.matmul(x, w.wqkv), [1, N, H + 2 * KV, hd]), [0, 2, 1, 3]); // (1, H + 2KV, N, hd)
  const cos = g.gather(rope.cos, positions); // (N, hd)
  const sin = g.gather(rope.sin, positions); // (N, hd)
  const rotate = (t: Tensor) => rotateHalf(g, t, cos, sin);
  const q = g.mul(rotate(g.slice(qkv, 1, 0, H)), 1 / Math.sqrt(hd)); // (1, H, N, hd)
  const k = rotate(g.slice(qkv, 1, H, H + KV)); // (1, KV, N, hd)
  const v = g.slice(qkv, 1, H + KV, H + 2 * KV); // (1, KV, N, hd)
  const scatter = oneHot(g, positions, tmax); // (N, Tmax): row i is 1 at positions[i]
  const keep = g.reshape(g.sub(1, g.sum(scatter, [0])), [tmax, 1]); // (Tmax, 1): 0 where overwritten
  const into = g.transpose(scatter, [1, 0]); // (Tmax, N)
  const newK = g.add(g.mul(cache.k, keep), g.matmul(into, k)); // (1, KV, Tmax, hd)
  const newV = g.add(g.mul(cache.v, keep), g.matmul(into, v)); // (1, KV, Tmax, hd)
  const later = g.compare('less', g.reshape(positions, [N, 1]), arange(g, tmax, [1, tmax])); // (N, Tmax)
  const mask = g.where(later, g.scalar(MASKED), g.scalar(0)); // (N, Tmax)
  const qg = g.reshape(q, [1, KV, G, N, hd]); // (1, KV, G, N, hd)
  const kt = g.transpose(g.reshape(newK, [1, KV, 1, tmax, hd]), [0, 1, 2, 4, 3]); // (1, KV, 1, hd, Tmax)
  const scores = g.add(g.matmul(qg, kt), mask); // (1, KV, G, N, Tmax)
  const y = g.matmul(g.softmax(scores, -1), g.reshape(newV, [1, KV, 1, tmax, hd])); // (1, KV, G, N, hd)
  const merged = g.reshape(g.transpose(g.reshape(y, [1, H, N, hd]), [0, 2, 1, 3]), [1, N, C]); // (1, N, C)
  return { y: g.matmul(merged, w.wo), k: newK, v: newV };
}

/** The decoder over N new positions with caches; returns final-normed hidden (1, N, C) and the new caches. */
function cachedDecoder(
  g: Graph,
  x: Tensor, // (1, N, C) embedded
  c: VlaConfig,
  vocab: number,
  w: VlaWeights,
  positions: Tensor, // (N) int64
  caches: readonly { k: Tensor; v: Tensor }[],
) {
  const tc = transformerConfigOf(c, vocab);
  const rope = ropeTables(g, tc, c.maxSeq);
  const out: { k: Tensor; v: Tensor }[] = [];
  let h = x; // (1, N, C)
  w.lm.blocks.forEach((b, l) => {
    h = preNormBlock(g, h, b, tc.normEps, (normed) => {
      const a = cachedAttention(g, normed, b, tc, positions, rope, caches[l]!);
      out.push({ k: a.k, v: a.v });
      return a.y;
    });
  });
  return { hidden: rmsNorm(g, h, w.lm.finalNorm, tc.normEps), caches: out };
}

/** One layer's key or value cache: (1, KV, Tmax, hd). */
export function cacheShape(c: VlaConfig): number[] {
  return [1, c.kvHeads, c.maxSeq, c.dModel / c.heads];
}

/** Prefill over one frame and `text` prompt tokens: `logits` (1, S, V) and every layer's `k{l}`, `v{l}`. */
export function prefillGraph(c: VlaConfig, vocab: number, text: number): Graph {
  const g = new Graph();
  const w = declareVla(g, c, vocab);
  const x = declareInputs(g, c, 1, text);
  const P = prefixLength(c);
  const shape = cacheShape(c);
  const zeros = g.constant(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const empty = w.lm.blocks.map(() => ({ k: zeros, v: zeros }));
  const run = cachedDecoder(g, embedSequence(g, w, x), c, vocab, w, arange(g, P + text), empty);
  g.output('logits', g.matmul(g.slice(run.hidden, 1, P, P + text), w.lm.lmHead)); // (1, S, V)
  run.caches.forEach(({ k, v }, l) => {
    g.output(`k${l}`, k);
    g.output(`v${l}`, v);
  });
  return g;
}

/** One token at `position` (sequence index, image tokens included): `logits` (1, 1, V), `new.k{l}`, `new.v{l}`. */
export function stepGraph(c: VlaConfig, vocab: number): Graph {
  const g = new Graph();
  const w = declareVla(g, c, vocab);
  const token = g.input('token', [1, 1], 'int64');
  const position = g.input('position', [1], 'int64');
  const shape = cacheShape(c);
  const caches = w.lm.blocks.map((_, l) => ({ k: g.input(`k${l}`, shape), v: g.input(`v${l}`, shape) }));
  const run = cachedDecoder(g, g.gather(w.lm.embed, token), c, vocab, w, position, caches);
  g.output('logits', g.matmul(run.hidden, w.lm.lmHead)); // (1, 1, V)
  run.caches.forEach(({ k, v }, l) => {
    g.output(`new.k${l}`, k);
    g.output(`new.v${l}`, v);
  });
  return g;
}

/**
 * Synchronous cached scoring of one frame's sequence: `score(ids)` returns the logits (V) after `ids`, running
 * the prefill on the first call after `reset` and one step per id added since. Ids must only ever be appended.
 */
export class CachedScorer {
  private readonly prefills = new Map<number, SyncOrtEngine>(); // by bucketed prompt length
  private readonly step: SyncOrtEngine;
  private frame: Feeds = {};
  private caches: Record<string, HostTensor> = {};
  private consumed: number[] = []; // ids already in the cache
  private last: Float32Array = new Float32Array(0); // logits after `consumed`

  constructor(
    private readonly config: VlaConfig,
    private readonly vocab: number,
    private readonly weights: ReadonlyMap<string, HostTensor>,
    private readonly threads = 2,
  ) {
    this.step = SyncOrtEngine.create(stepGraph(config, vocab), weights, threads);
  }

  /** Starts a new sequence for `frame`. */
  reset(frame: VlaFrame): void {
    this.frame = frameFeeds(this.config, [frame]);
    this.consumed = [];
  }

  score(ids: readonly number[]): Float32Array {
    const V = this.vocab;
    if (this.consumed.length === 0) {
      const text = Math.ceil(ids.length / TEXT_BUCKET) * TEXT_BUCKET;
      if (prefixLength(this.config) + text > this.config.maxSeq) {
        throw new UsageError(
          `a prompt of ${ids.length} tokens does not fit the model's ${this.config.maxSeq}`,
        );
      }
      const out = this.prefill(text).runSync({ ...this.frame, tokens: tokenFeed([ids], text, 0) });
      this.caches = {};
      for (const [name, t] of Object.entries(out)) if (name !== 'logits') this.caches[name] = t;
      this.last = (out.logits!.data as Float32Array).slice((ids.length - 1) * V, ids.length * V);
      this.consumed = [...ids];
      return this.last;
    }
    if (ids.slice(0, this.consumed.length).some((id, i) => id !== this.consumed[i])) {
      throw new UsageError('cached decoding: ids must extend the sequence already scored');
    }
    for (let i = this.consumed.length; i < ids.length; i++) {
      const position = prefixLength(this.config) + i;
      const out = this.step.runSync({
        ...this.caches,
        token: tokenFeed([[ids[i]!]], 1, 0),
        position: { dtype: 'int64', shape: [1], data: BigInt64Array.of(BigInt(position)) },
      });
      for (const name of Object.keys(this.caches)) this.caches[name] = out[`new.${name}`]!;
      this.last = out.logits!.data as Float32Array;
      this.consumed.push(ids[i]!);
    }
    return this.last;
  }

  private prefill(text: number): SyncOrtEngine {
    let e = this.prefills.get(text);
    if (!e) {
      e = SyncOrtEngine.create(prefillGraph(this.config, this.vocab, text), this.weights, this.threads);
      this.prefills.set(text, e);
    }
    return e;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.step, ...this.prefills.values()].map((e) => e.dispose()));
  }
}
