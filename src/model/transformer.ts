// A decoder-only transformer in the modern LLM form (RMSNorm, RoPE, SwiGLU, grouped-query causal attention, one
// attention for whole sequences and KV-cached decoding). Not the VLA (vla.ts calls decoder()) nor training.

import { UsageError } from '../core/errors.js';
import type { Graph } from '../engine/graph.js';
import { crossEntropy } from '../engine/losses.js';
import { arange, oneHot, rmsNorm, silu } from '../engine/nn.js';
import type { Tensor } from '../engine/types.js';
import { headWidth, type VlaConfig } from './config.js';

export interface TransformerConfig {
  readonly vocab: number; // token ids in [0, vocab)
  readonly dModel: number; // residual width C
  readonly layers: number;
  readonly heads: number; // query heads H
  readonly headDim?: number; // head width hd; absent: C / H (headWidth in config.ts)
  readonly kvHeads: number; // key/value heads; heads % kvHeads == 0 (grouped-query attention)
  readonly ffnHidden: number; // SwiGLU hidden width
  readonly ropeTheta: number; // rotary base
  readonly normEps: number;
}

/** The GPT-sized reference of the engine benchmark: d128, 4 layers, 4 heads, vocab 512 (run at T64, B16). */
export const REFERENCE_CONFIG: TransformerConfig = {
  vocab: 512,
  dModel: 128,
  layers: 4,
  heads: 4,
  kvHeads: 4, // plain multi-head attention, as in GPT
  ffnHidden: 352, // ~8/3 C, the SwiGLU width that matches a 4C GELU MLP in parameters
  ropeTheta: 10_000,
  normEps: 1e-6,
};

/** The transformer part of a VLA config, with the tokenizer's vocabulary size. */
export function transformerConfigOf(vla: VlaConfig, vocab: number): TransformerConfig {
  const { dModel, layers, heads, kvHeads, ffnHidden, ropeTheta, normEps } = vla;
  return { vocab, dModel, layers, heads, kvHeads, ffnHidden, ropeTheta, normEps, headDim: headWidth(vla) };
}

const INIT_STD = 0.02; // GPT-2's init; residual output projections are scaled down by sqrt(2 * layers)
const MASKED = -1e9; // added to scores above the diagonal; finite so masked rows never produce NaN

export interface BlockWeights {
  readonly attnNorm: Tensor;
  readonly wqkv: Tensor; // (C, (H + 2 KV) * hd): queries, keys, values from one matmul
  readonly wo: Tensor; // (H * hd, C): C by C unless pruned
  readonly mlpNorm: Tensor;
  readonly wGate: Tensor; // (C, F) (two matmuls beat one fused one here: splitting its output costs a copy)
  readonly wUp: Tensor; // (C, F)
  readonly wDown: Tensor; // (F, C)
}

export interface TransformerWeights {
  readonly embed: Tensor; // (V, C)
  readonly blocks: readonly BlockWeights[];
  readonly finalNorm: Tensor; // (C)
  readonly lmHead: Tensor; // (C, V)
}

/** Declares every parameter on `g` (names like `layer0.wqkv`, under the graph's declaration scope). */
export function declareTransformer(g: Graph, c: TransformerConfig): TransformerWeights {
  const hd = headWidth(c);
  const C = c.dModel;
  const normal = { kind: 'normal', std: INIT_STD } as const;
  const resid = { kind: 'normal', std: INIT_STD / Math.sqrt(2 * c.layers) } as const;
  const ones = { kind: 'const', value: 1 } as const;
  const blocks = Array.from({ length: c.layers }, (_, l) => {
    const p = (name: string) => `layer${l}.${name}`;
    return {
      attnNorm: g.param(p('attn_norm'), [C], ones),
      wqkv: g.param(p('wqkv'), [C, (c.heads + 2 * c.kvHeads) * hd], normal),
      wo: g.param(p('wo'), [c.heads * hd, C], resid),
      mlpNorm: g.param(p('mlp_norm'), [C], ones),
      wGate: g.param(p('w_gate'), [C, c.ffnHidden], normal),
      wUp: g.param(p('w_up'), [C, c.ffnHidden], normal),
      wDown: g.param(p('w_down'), [c.ffnHidden, C], resid),
    };
  });
  return {
    embed: g.param('embed', [c.vocab, C], normal),
    blocks,
    finalNorm: g.param('final_norm', [C], ones),
    lmHead: g.param('lm_head', [C, c.vocab], normal),
  };
}

/**
 * What every block shares for N query positions against Tk key positions: rotary tables and the causal mask.
 * Over a whole sequence (blockContext) N = Tk = T and both are constants; cached decoding (cachedContext) reads
 * them at fed positions and also says where the new keys and values go in each layer's cache.
 */
export interface BlockContext {
  readonly config: TransformerConfig;
  readonly cos: Tensor; // (H + KV, N, hd): query rows carry the 1/sqrt(hd) score scale
  readonly sin: Tensor; // (H + KV, N, hd), negated on the first half
  readonly mask: Tensor; // (N, Tk): 0 where a query may see a key, MASKED elsewhere
  readonly write?: CacheWrite; // only with caches
}

/** Where N new positions land in a cache of Tmax rows; shared by every layer. */
export interface CacheWrite {
  readonly into: Tensor; // (Tmax, N): column i is one-hot at the i-th new position
  readonly keep: Tensor; // (Tmax, 1): 0 at the rows the new positions overwrite, else 1
}

/** One layer's keys and values: (B, KV, Tk, hd). */
export interface LayerCache {
  readonly k: Tensor;
  readonly v: Tensor;
}

/** Rotary cos and sin tables (H + KV, T, hd) for positions 0..T-1; see BlockContext for the folded factors. */
function ropeTables(c: TransformerConfig, seq: number) {
  const hd = headWidth(c);
  const half = hd / 2;
  const rows = c.heads + c.kvHeads;
  const cos = new Float32Array(rows * seq * hd);
  const sin = new Float32Array(rows * seq * hd);
  for (let h = 0; h < rows; h++) {
    const scale = h < c.heads ? 1 / Math.sqrt(hd) : 1;
    for (let t = 0; t < seq; t++) {
      for (let i = 0; i < hd; i++) {
        const angle = ropeAngle(c, t, i);
        cos[(h * seq + t) * hd + i] = scale * Math.cos(angle);
        sin[(h * seq + t) * hd + i] = (i < half ? -scale : scale) * Math.sin(angle); // rotate_half's sign
      }
    }
  }
  return { cos, sin, shape: [rows, seq, hd] };
}

/** The context of a whole sequence of `seq` positions: constant tables and the causal mask (T, T). */
export function blockContext(g: Graph, c: TransformerConfig, seq: number): BlockContext {
  const tables = ropeTables(c, seq);
  const mask = Float32Array.from({ length: seq * seq }, (_, k) =>
    k % seq > Math.floor(k / seq) ? MASKED : 0,
  );
  return {
    config: c,
    cos: g.constant(tables.cos, tables.shape),
    sin: g.constant(tables.sin, tables.shape),
    mask: g.constant(mask, [seq, seq]),
  };
}

/**
 * The context of N new positions `positions` (N) int64 against caches of `tmax` rows: the tables at those
 * positions, a mask letting each query see cache rows at positions <= its own (rows further on, e.g. a padded
 * prompt's tail, are never read before being overwritten), and where the new rows are written.
 */
export function cachedContext(g: Graph, c: TransformerConfig, positions: Tensor, tmax: number): BlockContext {
  const N = positions.shape[0]!;
  const tables = ropeTables(c, tmax);
  const at = (table: Float32Array) => {
    const byPosition = g.transpose(g.constant(table, tables.shape), [1, 0, 2]); // (Tmax, H + KV, hd)
    return g.transpose(g.gather(byPosition, positions), [1, 0, 2]); // (H + KV, N, hd)
  };
  const later = g.compare('less', g.reshape(positions, [N, 1]), arange(g, tmax, [1, tmax])); // (N, Tmax)
  const scatter = oneHot(g, positions, tmax); // (N, Tmax): row i is 1 at positions[i]
  return {
    config: c,
    cos: at(tables.cos),
    sin: at(tables.sin),
    mask: g.where(later, g.scalar(MASKED), g.scalar(0)), // (N, Tmax)
    write: {
      into: g.transpose(scatter, [1, 0]), // (Tmax, N)
      keep: g.reshape(g.sub(1, g.sum(scatter, [0])), [tmax, 1]), // (Tmax, 1)
    },
  };
}

/** The rotary angle of position t at channel i of a head: both halves of the head share the frequencies. */
export function ropeAngle(c: TransformerConfig, t: number, i: number): number {
  const half = headWidth(c) / 2;
  return t * c.ropeTheta ** (-(i % half) / half);
}

/**
 * Rotary embedding of heads (..., hd): x * cos + rotate_half(x) * sin, with rotate_half's sign folded into the
 * first half of the `sin` table; cos and sin broadcast against x.
 */
export function rotateHalf(g: Graph, x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const axis = x.shape.length - 1;
  const hd = x.shape[axis]!;
  const swapped = g.concat([g.slice(x, axis, hd / 2, hd), g.slice(x, axis, 0, hd / 2)], axis); // (x2, x1)
  return g.add(g.mul(x, cos), g.mul(swapped, sin));
}

/** The keys (or values) attended to: the N fresh ones (B, KV, N, hd), or the cache with them written in. */
function remember(g: Graph, fresh: Tensor, ctx: BlockContext, cache: Tensor | undefined): Tensor {
  if (!cache) return fresh;
  if (!ctx.write) throw new UsageError('attention: a cache needs a context from cachedContext()');
  return g.add(g.mul(cache, ctx.write.keep), g.matmul(ctx.write.into, fresh)); // (B, KV, Tmax, hd)
}

/**
 * Grouped-query causal self-attention of N positions: (B, N, C) -> (B, N, C), with the keys and values it
 * attended to (B, KV, Tk, hd): this run's own, or `cache` with this run's rows written in.
 */
function attention(g: Graph, x: Tensor, w: BlockWeights, ctx: BlockContext, cache?: LayerCache) {
  const { heads: H, kvHeads: KV } = ctx.config;
  const [B, N] = x.shape as [number, number, number];
  const hd = headWidth(ctx.config);
  const G = H / KV;
  // one matmul and one transpose for queries, keys and values: (B, H + 2 KV, N, hd)
  const qkv = g.transpose(g.reshape(g.matmul(x, w.wqkv), [B, N, H + 2 * KV, hd]), [0, 2, 1, 3]);
  const qk = rotateHalf(g, g.slice(qkv, 1, 0, H + KV), ctx.cos, ctx.sin); // (B, H + KV, N, hd), queries pre-scaled
  // queries (B, KV, G, N, hd); keys and values (B, KV, 1, Tk, hd): the matmuls broadcast K/V over the group
  const q = g.reshape(g.slice(qk, 1, 0, H), [B, KV, G, N, hd]); // (B, KV, G, N, hd)
  const keys = remember(g, g.slice(qk, 1, H, H + KV), ctx, cache?.k); // (B, KV, Tk, hd)
  const Tk = keys.shape[2]!;
  const k = g.reshape(keys, [B, KV, 1, Tk, hd]); // (B, KV, 1, Tk, hd)
  const values = remember(g, g.slice(qkv, 1, H + KV, H + 2 * KV), ctx, cache?.v); // (B, KV, Tk, hd)
  const v = g.reshape(values, [B, KV, 1, Tk, hd]); // (B, KV, 1, Tk, hd)
  const scores = g.add(g.matmul(q, g.transpose(k, [0, 1, 2, 4, 3])), ctx.mask); // (B, KV, G, N, Tk)
  const y = g.reshape(g.matmul(g.softmax(scores, -1), v), [B, H, N, hd]); // (B, H, N, hd)
  const merged = g.reshape(g.transpose(y, [0, 2, 1, 3]), [B, N, H * hd]); // (B, N, H hd)
  return { y: g.matmul(merged, w.wo), cache: { k: keys, v: values } };
}

/** SwiGLU MLP: (B, T, C) -> (B, T, C). */
function mlp(g: Graph, x: Tensor, w: BlockWeights): Tensor {
  const hidden = g.mul(silu(g, g.matmul(x, w.wGate)), g.matmul(x, w.wUp)); // (B, T, F)
  return g.matmul(hidden, w.wDown); // (B, T, F) @ (F, C)
}

/** One pre-norm block: x + attention(norm(x)), then + mlp(norm(.)). (B, N, C) -> (B, N, C), and its keys/values. */
function transformerBlock(g: Graph, x: Tensor, w: BlockWeights, ctx: BlockContext, cache?: LayerCache) {
  const eps = ctx.config.normEps;
  const a = attention(g, rmsNorm(g, x, w.attnNorm, eps), w, ctx, cache);
  const h = g.add(x, a.y);
  return { h: g.add(h, mlp(g, rmsNorm(g, h, w.mlpNorm, eps), w)), cache: a.cache };
}

export interface DecoderOutput {
  readonly hidden: Tensor; // (B, N, C) after the final norm
  readonly caches: readonly LayerCache[]; // per layer: the keys and values attended to
}

/**
 * All blocks and the final norm over embedded inputs (B, N, C), e.g. image patches then text. Training passes no
 * caches; cached decoding passes each layer's cache (and a cachedContext) and gets them back extended.
 */
export function decoder(
  g: Graph,
  x: Tensor,
  w: TransformerWeights,
  ctx: BlockContext,
  caches?: readonly LayerCache[],
): DecoderOutput {
  if (caches && caches.length !== w.blocks.length) {
    throw new UsageError(`decoder: ${caches.length} caches for ${w.blocks.length} layers`);
  }
  const out: LayerCache[] = [];
  const h = w.blocks.reduce((acc, block, l) => {
    const b = transformerBlock(g, acc, block, ctx, caches?.[l]);
    out.push(b.cache);
    return b.h;
  }, x);
  return { hidden: rmsNorm(g, h, w.finalNorm, ctx.config.normEps), caches: out };
}

/** Token ids (B, T) int64 -> logits (B, T, V). */
export function languageModel(g: Graph, tokens: Tensor, w: TransformerWeights, ctx: BlockContext): Tensor {
  return g.matmul(decoder(g, g.gather(w.embed, tokens), w, ctx).hidden, w.lmHead);
}

/**
 * The next-token loss graph: declares params, `tokens` (B, T) and `targets` (B, T) int64 inputs; targets equal
 * to `ignoreIndex` carry no loss. Returns the scalar mean cross-entropy.
 */
export function languageModelLoss(
  g: Graph,
  c: TransformerConfig,
  batch: number,
  seq: number,
  ignoreIndex = -100,
) {
  const w = declareTransformer(g, c);
  const tokens = g.input('tokens', [batch, seq], 'int64');
  const targets = g.input('targets', [batch, seq], 'int64');
  const logits = languageModel(g, tokens, w, blockContext(g, c, seq)); // (B, T, V)
  return crossEntropy(
    g,
    g.reshape(logits, [batch * seq, c.vocab]),
    g.reshape(targets, [batch * seq]),
    ignoreIndex,
  );
}
