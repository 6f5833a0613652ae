// Structured pruning: scores every KV group, query head and MLP channel by the first-order (Taylor) estimate of
// the loss change when the unit is removed, measured on lake batches, and slices the weights into a smaller DENSE
// model with its own config (headDim kept, fewer heads, groups and channels). Not the recovery fine-tune (the
// distil stage from the pruned checkpoint) nor quantisation.
//
// Removing a unit is zeroing its rows of the output projection: a head's hd rows of wo (a group: all its heads'),
// a channel's row of wDown. Its Taylor score is |sum(w * dL/dw)| over those rows, per batch, averaged over batches.

import { UsageError } from '../core/errors.js';
import { gradients } from '../engine/autodiff.js';
import type { Feeds, HostTensor } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { createOrtEngine } from '../engine/session.js';
import { headWidth, type VlaConfig, vlaConfigSchema } from '../model/config.js';
import { vlaLoss } from '../model/vla.js';

/** How much of each kind of unit a pruned model keeps: shares of the original's, each at least one unit. */
export interface PruneShares {
  readonly kvGroups: number; // of the KV groups (a group: one key/value head and its query heads)
  readonly headsPerGroup: number; // of the query heads in each kept group
  readonly channels: number; // of the MLP hidden channels
}

/** Per layer: the score of each KV group (KV), query head (H) and MLP channel (F); higher is more important. */
export interface Importance {
  readonly groups: readonly Float64Array[];
  readonly heads: readonly Float64Array[];
  readonly channels: readonly Float64Array[];
}

/** Per layer, the kept units' indices in ascending order. */
export interface PrunePlan {
  readonly layers: readonly {
    readonly groups: readonly number[];
    readonly heads: readonly number[]; // of the original heads: G' in each kept group
    readonly channels: readonly number[];
  }[];
}

const keepOf = (share: number, n: number) => Math.min(n, Math.max(1, Math.round(share * n)));

/** The pruned model's architecture: the same width and head width, fewer groups, heads and channels. */
export function prunedConfig(c: VlaConfig, s: PruneShares): VlaConfig {
  const kvHeads = keepOf(s.kvGroups, c.kvHeads);
  const perGroup = keepOf(s.headsPerGroup, c.heads / c.kvHeads);
  const ffnHidden = keepOf(s.channels, c.ffnHidden);
  return vlaConfigSchema.parse({
    ...c,
    headDim: headWidth(c),
    kvHeads,
    heads: kvHeads * perGroup,
    ffnHidden,
  });
}

/** The `n` highest-scoring indices, ascending; ties keep the lower index. */
function top(scores: ArrayLike<number>, n: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, n).sort((a, b) => a - b);
}

/** The kept groups, heads (the best G' of each kept group) and channels of every layer. */
export function choosePruning(c: VlaConfig, imp: Importance, s: PruneShares): PrunePlan {
  const target = prunedConfig(c, s);
  const G = c.heads / c.kvHeads;
  const perGroup = target.heads / target.kvHeads;
  return {
    layers: imp.groups.map((groupScores, l) => {
      const groups = top(groupScores, target.kvHeads);
      const heads = groups.flatMap((k) =>
        top(imp.heads[l]!.subarray(k * G, (k + 1) * G), perGroup).map((j) => k * G + j),
      );
      return { groups, heads, channels: top(imp.channels[l]!, target.ffnHidden) };
    }),
  };
}

/** Rows `rows` (each of `width` values) of a row-major matrix, in order: (rows.length, width). */
function takeRows(m: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (const [i, r] of rows.entries()) out.set(m.subarray(r * width, (r + 1) * width), i * width);
  return out;
}

/** Columns `cols` of a row-major (rows, width) matrix: (rows, cols.length). */
function takeCols(m: Float32Array, width: number, cols: readonly number[]): Float32Array {
  const rows = m.length / width;
  const out = new Float32Array(rows * cols.length);
  for (let r = 0; r < rows; r++)
    for (const [i, k] of cols.entries()) out[r * cols.length + i] = m[r * width + k]!;
  return out;
}

/** The head-width blocks `blocks` of a dimension laid out as consecutive blocks of hd: their indices. */
const expand = (blocks: readonly number[], hd: number, offset = 0) =>
  blocks.flatMap((b) => Array.from({ length: hd }, (_, i) => offset + b * hd + i));

/** The dense pruned params for `plan` (in the config prunedConfig gives); every other param is kept as it is. */
export function pruneParams(
  c: VlaConfig,
  params: ReadonlyMap<string, Float32Array>,
  plan: PrunePlan,
): Map<string, Float32Array> {
  const hd = headWidth(c);
  const { dModel: C, heads: H, kvHeads: KV, ffnHidden: F } = c;
  const qkvWidth = (H + 2 * KV) * hd;
  const out = new Map(params);
  plan.layers.forEach((keep, l) => {
    const p = (name: string) => {
      const v = params.get(`layer${l}.${name}`);
      if (!v) throw new UsageError(`prune: no param layer${l}.${name}`);
      return v;
    };
    // wqkv (C, (H + 2 KV) hd): kept query heads, then the kept groups' keys, then their values
    const cols = [
      ...expand(keep.heads, hd),
      ...expand(keep.groups, hd, H * hd),
      ...expand(keep.groups, hd, (H + KV) * hd),
    ];
    out.set(`layer${l}.wqkv`, takeCols(p('wqkv'), qkvWidth, cols));
    out.set(`layer${l}.wo`, takeRows(p('wo'), C, expand(keep.heads, hd))); // (H' hd, C)
    out.set(`layer${l}.w_gate`, takeCols(p('w_gate'), F, keep.channels)); // (C, F')
    out.set(`layer${l}.w_up`, takeCols(p('w_up'), F, keep.channels)); // (C, F')
    out.set(`layer${l}.w_down`, takeRows(p('w_down'), C, keep.channels)); // (F', C)
  });
  return out;
}

/** The original-shaped params with every unit `plan` removes zeroed (its output rows): the oracle of pruneParams. */
export function zeroedParams(
  c: VlaConfig,
  params: ReadonlyMap<string, Float32Array>,
  plan: PrunePlan,
): Map<string, Float32Array> {
  const hd = headWidth(c);
  const out = new Map(params);
  plan.layers.forEach((keep, l) => {
    const zeroRows = (name: string, n: number, kept: readonly number[]) => {
      const m = Float32Array.from(params.get(`layer${l}.${name}`)!);
      const width = m.length / n;
      for (let r = 0; r < n; r++) if (!kept.includes(r)) m.fill(0, r * width, (r + 1) * width);
      out.set(`layer${l}.${name}`, m);
    };
    zeroRows('wo', c.heads * hd, expand(keep.heads, hd));
    zeroRows('w_down', c.ffnHidden, keep.channels);
  });
  return out;
}

/** into[i] += |values[i]| / count: one batch's share of a mean of absolute values. */
function addMeanAbs(into: Float64Array, values: readonly number[], count: number): void {
  for (const [i, v] of values.entries()) into[i]! += Math.abs(v) / count;
}

/**
 * Taylor scores of every unit of the model, over batches of the next-token loss's feeds (each batch of B
 * sequences at text length S, as train/objective.ts makes them).
 */
export async function measureImportance(
  c: VlaConfig,
  vocab: number,
  params: ReadonlyMap<string, Float32Array>,
  batches: readonly Feeds[],
): Promise<Importance> {
  if (batches.length === 0) throw new UsageError('prune: no lake batches to measure importance on');
  const [B, S] = batches[0]!.tokens!.shape as [number, number];
  const g = new Graph();
  const loss = vlaLoss(g, c, vocab, B, S);
  const byName = new Map(g.params.map((p) => [p.name, p]));
  const names = Array.from({ length: c.layers }, (_, l) => [`layer${l}.wo`, `layer${l}.w_down`]).flat();
  const grads = gradients(
    g,
    loss,
    names.map((n) => byName.get(n)!.tensor),
  );
  for (const [i, n] of names.entries()) g.output(`grad.${n}`, grads[i]!);
  const paramFeeds: Record<string, HostTensor> = {};
  for (const p of g.params)
    paramFeeds[p.name] = { dtype: 'float32', shape: p.tensor.shape, data: params.get(p.name)! };
  const engine = await createOrtEngine(g, { threads: 2 });
  const hd = headWidth(c);
  const G = c.heads / c.kvHeads;
  const zeros = (n: number) => Array.from({ length: c.layers }, () => new Float64Array(n));
  const imp = { groups: zeros(c.kvHeads), heads: zeros(c.heads), channels: zeros(c.ffnHidden) };
  try {
    for (const batch of batches) {
      const out = await engine.run({ ...paramFeeds, ...batch });
      for (let l = 0; l < c.layers; l++) {
        // per output row r: sum_c w[r, c] * dL/dw[r, c]
        const rowDots = (name: string, rows: number) => {
          const w = params.get(name)!;
          const dw = out[`grad.${name}`]!.data as Float32Array;
          const width = w.length / rows;
          return Array.from({ length: rows }, (_, r) => {
            let s = 0;
            for (let k = r * width; k < (r + 1) * width; k++) s += w[k]! * dw[k]!;
            return s;
          });
        };
        const wo = rowDots(`layer${l}.wo`, c.heads * hd);
        const head = Array.from({ length: c.heads }, (_, h) =>
          wo.slice(h * hd, (h + 1) * hd).reduce((a, b) => a + b, 0),
        );
        const group = Array.from({ length: c.kvHeads }, (_, k) =>
          head.slice(k * G, (k + 1) * G).reduce((a, b) => a + b, 0),
        );
        addMeanAbs(imp.heads[l]!, head, batches.length);
        addMeanAbs(imp.groups[l]!, group, batches.length);
        addMeanAbs(imp.channels[l]!, rowDots(`layer${l}.w_down`, c.ffnHidden), batches.length);
      }
    }
  } finally {
    await engine.dispose();
  }
  return imp;
}
