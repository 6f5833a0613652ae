// KV-cache decoding for the VLA: a prefill graph over [image][ego][prompt] that also returns every layer's keys
// and values, and a one-token step graph that reads and extends them. Not training, and not a second attention:
// both graphs run model/transformer.ts's decoder with a cache (cachedContext); tests check them against the
// uncached logits.
//
// Cache per layer: keys and values (1, KV, Tmax, hd), Tmax = config.maxSeq.

import { UsageError } from '../core/errors.js';
import type { Feeds, HostTensor } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { arange } from '../engine/nn.js';
import { SyncOrtEngine } from '../engine/sync-engine.js';
import type { Tensor } from '../engine/types.js';
import { headWidth, type VlaConfig } from './config.js';
import { cachedContext, decoder, type LayerCache, transformerConfigOf } from './transformer.js';
import {
  declareInputs,
  declareVla,
  embedSequence,
  frameFeeds,
  prefixLength,
  tokenFeed,
  type VlaFrame,
  type VlaWeights,
} from './vla.js';

const TEXT_BUCKET = 16; // prefill graphs are built for prompts rounded up to this [tokens]

/** The decoder over N new positions `positions` (N) int64 with each layer's cache: model/transformer.ts's own. */
function cachedDecoder(
  g: Graph,
  x: Tensor, // (1, N, C) embedded
  c: VlaConfig,
  vocab: number,
  w: VlaWeights,
  positions: Tensor,
  caches: readonly LayerCache[],
) {
  const ctx = cachedContext(g, transformerConfigOf(c, vocab), positions, c.maxSeq);
  return decoder(g, x, w.lm, ctx, caches);
}

/** One layer's key or value cache: (1, KV, Tmax, hd). */
export function cacheShape(c: VlaConfig): number[] {
  return [1, c.kvHeads, c.maxSeq, headWidth(c)];
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
