// The vehicle graph: raw sensor values, ego speed and a padded prompt in, the 2H greedy action tokens out, with
// fast-mode decoding inside the graph (a prefill, then one KV-cached step per token, unrolled). Not the file (vehicle.ts).
//
// Inputs: camera (H, W, 3) float32 byte values, bev (K, N, N) float32 byte values, speed (1) [m/s],
// prompt (1, S) int64 `<bos><instr> instruction <act>` padded with 0, length (1) int64 prompt tokens.
// Output: actions (1, 2H) int64 token ids, even positions longitudinal, odd lateral.

import { createHash } from 'node:crypto';
import { Graph, type ParamInit } from '../engine/graph.js';
import {
  type DType,
  formatShape,
  type Shape,
  sizeOf,
  type Tensor,
  type TensorData,
} from '../engine/types.js';
import type { VlaConfig } from '../model/config.js';
import { cacheShape } from '../model/kv-cache.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { cachedContext, decoder, transformerConfigOf } from '../model/transformer.js';
import {
  CAMERA_CHANNELS,
  declareVla,
  embedSequence,
  patchShapes,
  prefixLength,
  SPEED_SCALE,
} from '../model/vla.js';

const SHARE_FROM = 64; // [elements] constants this large are stored once however often the graph builds them
const NOT_MAX = 1e9; // index given to non-maximal logits so the min picks the first maximum (as vla.ts pick does)

/** How a parameter becomes a constant: fp32 as trained, or int8 with one scale per output channel (last axis). */
export type WeightFormat = 'fp32' | 'int8';

/**
 * The activations feeding the weight matmuls ("sites", numbered in graph-building order): left in float32, or
 * static int8 QDQ with one calibrated per-tensor scale per site (compress/quantise.ts measures them).
 */
export type ActivationFormat =
  | { readonly kind: 'float' }
  | { readonly kind: 'static'; readonly scales: Float32Array };

/** A Graph whose params are baked-in constants (int8 + DequantizeLinear for matrices in int8). */
export class BakedGraph extends Graph {
  readonly sites: Tensor[] = []; // the activation inputs of the weight matmuls (each once), before any QDQ
  private readonly baked = new Set<number>(); // ids of the tensors param() returned
  private readonly fed = new Map<number, Tensor>(); // site tensor id -> what its matmuls read (itself, or its QDQ)

  constructor(
    private readonly weights: ReadonlyMap<string, Float32Array>,
    private readonly format: WeightFormat,
    private readonly activations: ActivationFormat,
  ) {
    super();
  }

  override matmul(a: Tensor, b: Tensor): Tensor {
    if (!this.baked.has(b.id)) return super.matmul(a, b);
    let fed = this.fed.get(a.id);
    if (!fed) {
      fed = this.feed(a, this.sites.push(a) - 1);
      this.fed.set(a.id, fed);
    }
    return super.matmul(fed, b);
  }

  private feed(a: Tensor, site: number): Tensor {
    if (this.activations.kind === 'float') return a;
    const s = this.activations.scales[site];
    if (s === undefined) throw new Error(`activation scales: none for site ${site}`);
    const scale = this.scalar(s);
    return this.dequantize(this.quantize(a, scale), scale);
  }

  private readonly shared = new Map<string, Tensor>(); // constants by content: each step's rotary tables are one
  override constant(data: TensorData, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (data.length < SHARE_FROM) return super.constant(data, shape, dtype);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const key = `${dtype}${formatShape(shape)}${createHash('sha256').update(bytes).digest('hex')}`;
    let t = this.shared.get(key);
    if (!t) {
      t = super.constant(data, shape, dtype);
      this.shared.set(key, t);
    }
    return t;
  }

  override param(name: string, shape: Shape, _init: ParamInit, decay = shape.length >= 2): Tensor {
    const t = this.bake(name, shape, decay);
    this.baked.add(t.id);
    return t;
  }

  private bake(name: string, shape: Shape, decay: boolean): Tensor {
    const data = this.weights.get(name);
    if (!data || data.length !== sizeOf(shape)) throw new Error(`weights: '${name}' missing or mis-sized`);
    if (this.format === 'fp32' || !decay) return this.constant(data, shape);
    const { q, scales } = quantizePerChannel(data, shape);
    const axis = shape.length - 1;
    return this.dequantize(this.constant(q, shape, 'int8'), this.constant(scales, [shape[axis]!]), axis);
  }
}

/** Symmetric int8 per last-axis channel: scale = max |w| / 127 over the channel (1 for an all-zero channel). */
export function quantizePerChannel(w: Float32Array, shape: Shape): { q: Int8Array; scales: Float32Array } {
  const cols = shape[shape.length - 1]!;
  const scales = new Float32Array(cols);
  w.forEach((v, i) => {
    scales[i % cols] = Math.max(scales[i % cols]!, Math.abs(v));
  });
  scales.forEach((m, j) => {
    scales[j] = m > 0 ? m / 127 : 1;
  });
  const q = Int8Array.from(w, (v, i) => Math.max(-127, Math.min(127, Math.round(v / scales[i % cols]!))));
  return { q, scales };
}

export interface VehicleGraphSpec {
  readonly config: VlaConfig;
  readonly tokenizer: Tokenizer;
  readonly actions: number; // 2H tokens
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly format: WeightFormat;
  readonly activations?: ActivationFormat; // default float
  /** Also output each site's activation (`site_i`) and each action step's span logits (`logits_k`): calibration. */
  readonly probe?: boolean;
}

/** The longest prompt the vehicle graph takes: the text room left after the actions [tokens]. */
export function promptRoom(c: VlaConfig, actions: number): number {
  return c.maxSeq - prefixLength(c) - actions;
}

export function vehicleGraph(spec: VehicleGraphSpec): BakedGraph {
  const { config: c, tokenizer: tok, actions } = spec;
  const g = new BakedGraph(spec.weights, spec.format, spec.activations ?? { kind: 'float' });
  const w = declareVla(g, c, tok.vocabSize);
  const s = patchShapes(c);
  const P = prefixLength(c);
  const S = promptRoom(c, actions);
  const { width: W, height: H, patch: p } = c.camera;
  const { size: N, channels: K, patch: q } = c.bev;
  const camera = g.input('camera', [H, W, CAMERA_CHANNELS]);
  const bev = g.input('bev', [K, N, N]);
  const speed = g.input('speed', [1]);
  const prompt = g.input('prompt', [1, S], 'int64');
  const length = g.input('length', [1], 'int64');
  // patches as vla.ts cameraPatches/bevPatches lay them out
  const camRows = g.transpose(g.reshape(camera, [H / p, p, W / p, p, CAMERA_CHANNELS]), [0, 2, 1, 3, 4]); // (Hp, Wp, p, p, 3)
  const bevRows = g.transpose(g.reshape(bev, [K, N / q, q, N / q, q]), [1, 3, 0, 2, 4]); // (Np, Np, K, q, q)
  const inputs = {
    camera: g.sub(g.mul(g.reshape(camRows, [1, s.cameraTokens, s.cameraWidth]), 1 / 127.5), 1), // (1, Nc, Pc)
    bev: g.mul(g.reshape(bevRows, [1, s.bevTokens, s.bevWidth]), 1 / 255), // (1, Nb, Pb)
    ego: g.mul(g.reshape(speed, [1, 1, 1]), 1 / SPEED_SCALE), // (1, 1, EGO_FEATURES)
    tokens: prompt,
  };
  const tc = transformerConfigOf(c, tok.vocabSize);
  const empty = g.constant(new Float32Array(sizeOf(cacheShape(c))), cacheShape(c));
  const positions = g.constant(
    BigInt64Array.from({ length: P + S }, (_, i) => BigInt(i)),
    [P + S],
    'int64',
  );
  let run = decoder(
    g,
    embedSequence(g, w, inputs),
    w.lm,
    cachedContext(g, tc, positions, c.maxSeq),
    w.lm.blocks.map(() => ({ k: empty, v: empty })),
  );
  const lengthF = g.cast(length, 'float32'); // (1)
  const at = (offset: number) => g.cast(g.add(lengthF, offset), 'int64'); // (1) sequence index length + offset
  // logits after the prompt: the hidden row of its last token
  let hidden = g.gather(g.reshape(run.hidden, [P + S, c.dModel]), at(P - 1)); // (1, C)
  const picked: Tensor[] = [];
  for (let k = 0; k < actions; k++) {
    const [lo, hi] =
      k % 2 === 0 ? [tok.longitudinalStart, tok.lateralStart] : [tok.lateralStart, tok.byteStart];
    const span = g.slice(g.matmul(hidden, w.lm.lmHead), 1, lo, hi); // (1, hi - lo)
    const best = g.compare('equal', span, g.reduceMax(span, [1], true));
    const iota = g.constant(
      Float32Array.from({ length: hi - lo }, (_, i) => i + lo),
      [1, hi - lo],
    );
    const id = g.neg(g.reduceMax(g.neg(g.where(best, iota, g.scalar(NOT_MAX))), [1])); // (1) first argmax
    picked.push(id);
    if (spec.probe) g.output(`logits_${k}`, span);
    if (k === actions - 1) break;
    const ctx = cachedContext(g, tc, at(P + k), c.maxSeq);
    run = decoder(g, g.gather(w.lm.embed, g.reshape(g.cast(id, 'int64'), [1, 1])), w.lm, ctx, run.caches);
    hidden = g.reshape(run.hidden, [1, c.dModel]); // (1, C)
  }
  g.output('actions', g.cast(g.reshape(g.concat(picked, 0), [1, actions]), 'int64'));
  if (spec.probe) for (const [i, t] of g.sites.entries()) g.output(`site_${i}`, t);
  return g;
}
