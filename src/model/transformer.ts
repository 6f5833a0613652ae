// A decoder-only transformer in the modern LLM form (RMSNorm, RoPE, SwiGLU, grouped-query causal attention)
// built on the engine's graph. Not the VLA (vla.ts prepends image patches and calls decoder()) nor training.

import type { Graph } from '../engine/graph.js';
import { crossEntropy } from '../engine/losses.js';
import { rmsNorm, silu } from '../engine/nn.js';
import type { Tensor } from '../engine/types.js';
import type { VlaConfig } from './config.js';

export interface TransformerConfig {
  readonly vocab: number; // token ids in [0, vocab)
  readonly dModel: number; // residual width C
  readonly layers: number;
  readonly heads: number; // query heads H (head width C / H)
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
  return { vocab, dModel, layers, heads, kvHeads, ffnHidden, ropeTheta, normEps };
}

const INIT_STD = 0.02; // GPT-2's init; residual output projections are scaled down by sqrt(2 * layers)
const MASKED = -1e9; // added to scores above the diagonal; finite so masked rows never produce NaN

export interface BlockWeights {
  readonly attnNorm: Tensor;
  readonly wqkv: Tensor; // (C, (H + 2 KV) * hd): queries, keys, values from one matmul
  readonly wo: Tensor; // (C, C)
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
  const hd = c.dModel / c.heads;
  const C = c.dModel;
  const normal = { kind: 'normal', std: INIT_STD } as const;
  const resid = { kind: 'normal', std: INIT_STD / Math.sqrt(2 * c.layers) } as const;
  const ones = { kind: 'const', value: 1 } as const;
  const blocks = Array.from({ length: c.layers }, (_, l) => {
    const p = (name: string) => `layer${l}.${name}`;
    return {
      attnNorm: g.param(p('attn_norm'), [C], ones),
      wqkv: g.param(p('wqkv'), [C, (c.heads + 2 * c.kvHeads) * hd], normal),
      wo: g.param(p('wo'), [C, C], resid),
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

/** Constants shared by all blocks at one sequence length: rotary tables and the causal mask. */
export interface BlockContext {
  readonly config: TransformerConfig;
  readonly cos: Tensor; // (H + KV, T, hd): query rows carry the 1/sqrt(hd) score scale
  readonly sin: Tensor; // (H + KV, T, hd), negated on the first half
  readonly mask: Tensor; // (T, T): 0 on and below the diagonal, MASKED above
}

export function blockContext(g: Graph, c: TransformerConfig, seq: number): BlockContext {
  const hd = c.dModel / c.heads;
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
  const mask = Float32Array.from({ length: seq * seq }, (_, k) =>
    k % seq > Math.floor(k / seq) ? MASKED : 0,
  );
  return {
    config: c,
    cos: g.constant(cos, [rows, seq, hd]),
    sin: g.constant(sin, [rows, seq, hd]),
    mask: g.constant(mask, [seq, seq]),
  };
}

/** The rotary angle of position t at channel i of a head: both halves of the head share the frequencies. */
export function ropeAngle(c: TransformerConfig, t: number, i: number): number {
  const half = c.dModel / c.heads / 2;
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

/** Grouped-query causal self-attention: (B, T, C) -> (B, T, C). */
function attention(g: Graph, x: Tensor, w: BlockWeights, ctx: BlockContext): Tensor {
  const { heads: H, kvHeads: KV, dModel } = ctx.config;
  const [B, T] = x.shape as [number, number, number];
  const hd = dModel / H;
  const G = H / KV;
  // one matmul and one transpose for queries, keys and values: (B, H + 2 KV, T, hd)
  const qkv = g.transpose(g.reshape(g.matmul(x, w.wqkv), [B, T, H + 2 * KV, hd]), [0, 2, 1, 3]);
  const qk = rotateHalf(g, g.slice(qkv, 1, 0, H + KV), ctx.cos, ctx.sin); // (B, H + KV, T, hd), queries pre-scaled
  // queries (B, KV, G, T, hd); keys and values (B, KV, 1, T, hd): the matmuls broadcast K/V over the group
  const q = g.reshape(g.slice(qk, 1, 0, H), [B, KV, G, T, hd]); // (B, KV, G, T, hd)
  const k = g.reshape(g.slice(qk, 1, H, H + KV), [B, KV, 1, T, hd]); // (B, KV, 1, T, hd)
  const v = g.reshape(g.slice(qkv, 1, H + KV, H + 2 * KV), [B, KV, 1, T, hd]); // (B, KV, 1, T, hd)
  const scores = g.add(g.matmul(q, g.transpose(k, [0, 1, 2, 4, 3])), ctx.mask); // (B, KV, G, T, T)
  const y = g.reshape(g.matmul(g.softmax(scores, -1), v), [B, H, T, hd]); // (B, H, T, hd)
  const merged = g.reshape(g.transpose(y, [0, 2, 1, 3]), [B, T, dModel]); // (B, T, C)
  return g.matmul(merged, w.wo);
}

/** SwiGLU MLP: (B, T, C) -> (B, T, C). */
function mlp(g: Graph, x: Tensor, w: BlockWeights): Tensor {
  const hidden = g.mul(silu(g, g.matmul(x, w.wGate)), g.matmul(x, w.wUp)); // (B, T, F)
  return g.matmul(hidden, w.wDown); // (B, T, F) @ (F, C)
}

/**
 * One pre-norm block around any attention: x + attend(norm(x)), then + mlp(norm(.)). (B, T, C) -> (B, T, C).
 * Training attends over the whole sequence; cached decoding (runtime/kv-cache.ts) over its cache.
 */
export function preNormBlock(
  g: Graph,
  x: Tensor,
  w: BlockWeights,
  eps: number,
  attend: (normed: Tensor) => Tensor,
): Tensor {
  const h = g.add(x, attend(rmsNorm(g, x, w.attnNorm, eps)));
  return g.add(h, mlp(g, rmsNorm(g, h, w.mlpNorm, eps), w));
}

/** One block with causal self-attention over the whole sequence. (B, T, C) -> (B, T, C). */
export function transformerBlock(g: Graph, x: Tensor, w: BlockWeights, ctx: BlockContext): Tensor {
  return preNormBlock(g, x, w, ctx.config.normEps, (normed) => attention(g, normed, w, ctx));
}

/** All blocks and the final norm over embedded inputs (B, T, C), e.g. image patches then text. */
export function decoder(g: Graph, x: Tensor, w: TransformerWeights, ctx: BlockContext): Tensor {
  const h = w.blocks.reduce((acc, block) => transformerBlock(g, acc, block, ctx), x);
  return rmsNorm(g, h, w.finalNorm, ctx.config.normEps);
}

/** Token ids (B, T) int64 -> logits (B, T, V). */
export function languageModel(g: Graph, tokens: Tensor, w: TransformerWeights, ctx: BlockContext): Tensor {
  return g.matmul(decoder(g, g.gather(w.embed, tokens), w, ctx), w.lmHead);
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
