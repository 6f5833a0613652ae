// The driving VLA in one file: patch embedding of camera and BEV, an ego-state token, the decoder over
// [image][ego][text], the span-masked loss, and seeded decoding. Not training loops (train/) nor driving
// (policy/; the KV-cache decoder the closed loop uses is kv-cache.ts beside this).
//
// Sequence: [camera patches][BEV patches][ego][<bos><instr> instruction <think> CoT </think><act> 16 actions </act>]
// Only text positions have logits; a target of IGNORE at a position carries no loss (the stage picks the spans).

import { UsageError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Engine, Feeds, HostTensor } from '../engine/engine.js';
import { Graph, TRAINABLE } from '../engine/graph.js';
import { crossEntropy } from '../engine/losses.js';
import { createOrtEngine } from '../engine/session.js';
import { initParams } from '../engine/trainer.js';
import type { Tensor } from '../engine/types.js';
import type { VlaConfig } from './config.js';
import {
  blockContext,
  declareTransformer,
  decoder,
  type TransformerWeights,
  transformerConfigOf,
} from './transformer.js';

export const IGNORE = -100; // target id that carries no loss
const INIT_STD = 0.02; // GPT-2's init, as in transformer.ts
export const CAMERA_CHANNELS = 3; // RGB, (H, W, 3) bytes
export const SPEED_SCALE = 10; // [m/s] ego speed is fed divided by this
// Ego's speed only: given its current acceleration and yaw rate, a cloned policy learns to repeat them (the
// copycat shortcut: the next 0.5 s of the expert's controls are mostly its current ones) and in closed loop it
// then holds whatever it does, never starting to brake or turn. Measured: a constant command in every scene.
export const EGO_FEATURES = 1;

/** What the model sees of one frame besides text: the sensors' bytes and ego's speed. */
export interface VlaFrame {
  readonly camera: Uint8Array; // (H, W, 3) RGB
  readonly bev: Uint8Array; // (channels, size, size) sensors/bev.ts values
  readonly ego: { readonly speed: number }; // [m/s]
}

/** Patch counts and widths: camera (Nc, Pc), BEV (Nb, Pb). */
export function patchShapes(c: VlaConfig) {
  const { camera, bev } = c;
  return {
    cameraTokens: (camera.width / camera.patch) * (camera.height / camera.patch),
    cameraWidth: camera.patch * camera.patch * CAMERA_CHANNELS,
    bevTokens: (bev.size / bev.patch) ** 2,
    bevWidth: bev.patch * bev.patch * bev.channels,
  };
}

/** Embedded positions before the first text token: image patches and the ego token. */
export function prefixLength(c: VlaConfig): number {
  const s = patchShapes(c);
  return s.cameraTokens + s.bevTokens + 1;
}

/** The longest text a model of config `c` takes [tokens]. */
export function maxText(c: VlaConfig): number {
  return c.maxSeq - prefixLength(c);
}

export interface VlaWeights {
  readonly cameraProj: Tensor; // (Pc, C) the linear patch embedding
  readonly cameraPos: Tensor; // (Nc, C) learned position of each patch (also carries the bias)
  readonly bevProj: Tensor; // (Pb, C)
  readonly bevPos: Tensor; // (Nb, C)
  readonly egoProj: Tensor; // (EGO_FEATURES, C)
  readonly egoType: Tensor; // (C) marks the ego token
  readonly lm: TransformerWeights; // text embedding, blocks, final norm, head
}

/**
 * Declares the VLA's params; under a `scope` such as { prefix: 'ref/', frozen: true } a second, frozen copy (a
 * reference policy, a teacher) sits in the same graph as the trained one, its names prefixed.
 */
export function declareVla(g: Graph, c: VlaConfig, vocab: number, scope = TRAINABLE): VlaWeights {
  return g.declare(scope, () => declareVlaParams(g, c, vocab));
}

function declareVlaParams(g: Graph, c: VlaConfig, vocab: number): VlaWeights {
  const s = patchShapes(c);
  const C = c.dModel;
  const normal = { kind: 'normal', std: INIT_STD } as const;
  return {
    cameraProj: g.param('vision.camera_proj', [s.cameraWidth, C], normal),
    cameraPos: g.param('vision.camera_pos', [s.cameraTokens, C], normal, false),
    bevProj: g.param('vision.bev_proj', [s.bevWidth, C], normal),
    bevPos: g.param('vision.bev_pos', [s.bevTokens, C], normal, false),
    egoProj: g.param('ego.proj', [EGO_FEATURES, C], { kind: 'normal', std: 1 / Math.sqrt(EGO_FEATURES) }),
    egoType: g.param('ego.type', [C], normal, false),
    lm: declareTransformer(g, transformerConfigOf(c, vocab)),
  };
}

export interface VlaInputs {
  readonly camera: Tensor; // (B, Nc, Pc) float patches
  readonly bev: Tensor; // (B, Nb, Pb)
  readonly ego: Tensor; // (B, 1, EGO_FEATURES)
  readonly tokens: Tensor; // (B, S) int64
}

/** Declares the batch inputs `camera`, `bev`, `ego`, `tokens` for B sequences of S text tokens. */
export function declareInputs(g: Graph, c: VlaConfig, batch: number, text: number): VlaInputs {
  const s = patchShapes(c);
  return {
    camera: g.input('camera', [batch, s.cameraTokens, s.cameraWidth]),
    bev: g.input('bev', [batch, s.bevTokens, s.bevWidth]),
    ego: g.input('ego', [batch, 1, EGO_FEATURES]),
    tokens: g.input('tokens', [batch, text], 'int64'),
  };
}

/** The embedded sequence: camera patches, BEV patches, ego token, text tokens: (B, P + S, C). */
export function embedSequence(g: Graph, w: VlaWeights, x: VlaInputs): Tensor {
  const camera = g.add(g.matmul(x.camera, w.cameraProj), w.cameraPos); // (B, Nc, C)
  const bev = g.add(g.matmul(x.bev, w.bevProj), w.bevPos); // (B, Nb, C)
  const ego = g.add(g.matmul(x.ego, w.egoProj), w.egoType); // (B, 1, C)
  const text = g.gather(w.lm.embed, x.tokens); // (B, S, C)
  return g.concat([camera, bev, ego, text], 1); // (B, P + S, C)
}

/** Logits at every text position: (B, S, V); position i predicts text token i + 1. */
export function vlaLogits(g: Graph, c: VlaConfig, vocab: number, w: VlaWeights, x: VlaInputs): Tensor {
  const S = x.tokens.shape[1]!;
  const P = prefixLength(c);
  const seq = embedSequence(g, w, x); // (B, P + S, C)
  const ctx = blockContext(g, transformerConfigOf(c, vocab), P + S);
  const hidden = g.slice(decoder(g, seq, w.lm, ctx).hidden, 1, P, P + S); // (B, S, C)
  return g.matmul(hidden, w.lm.lmHead); // (B, S, V)
}

/** The training loss: declares params, inputs and `targets` (B, S) int64; mean CE over non-IGNORE targets. */
export function vlaLoss(g: Graph, c: VlaConfig, vocab: number, batch: number, text: number): Tensor {
  const w = declareVla(g, c, vocab);
  const x = declareInputs(g, c, batch, text);
  const targets = g.input('targets', [batch, text], 'int64');
  const logits = vlaLogits(g, c, vocab, w, x); // (B, S, V)
  return crossEntropy(
    g,
    g.reshape(logits, [batch * text, vocab]),
    g.reshape(targets, [batch * text]),
    IGNORE,
  );
}

// ---- host side: frames to patches ----

/** Camera bytes (H, W, 3) -> patches (Nc, Pc) in [-1, 1], row-major over patches, (py, px, channel) inside. */
export function cameraPatches(c: VlaConfig, camera: Uint8Array, out: Float32Array, at = 0): void {
  const { width: W, height: H, patch: p } = c.camera;
  if (camera.length !== W * H * CAMERA_CHANNELS) {
    throw new UsageError(`camera has ${camera.length} bytes, expected ${W * H * CAMERA_CHANNELS}`);
  }
  let k = at;
  for (let pr = 0; pr < H / p; pr++)
    for (let pc = 0; pc < W / p; pc++)
      for (let y = 0; y < p; y++)
        for (let x = 0; x < p; x++)
          for (let ch = 0; ch < CAMERA_CHANNELS; ch++)
            out[k++] = camera[((pr * p + y) * W + pc * p + x) * CAMERA_CHANNELS + ch]! / 127.5 - 1;
}

/** BEV bytes (channels, size, size) -> patches (Nb, Pb) in [0, 1], (channel, py, px) inside. */
export function bevPatches(c: VlaConfig, bev: Uint8Array, out: Float32Array, at = 0): void {
  const { size: N, channels: K, patch: p } = c.bev;
  if (bev.length !== K * N * N) throw new UsageError(`bev has ${bev.length} bytes, expected ${K * N * N}`);
  let k = at;
  for (let pr = 0; pr < N / p; pr++)
    for (let pc = 0; pc < N / p; pc++)
      for (let ch = 0; ch < K; ch++)
        for (let y = 0; y < p; y++)
          for (let x = 0; x < p; x++) out[k++] = bev[(ch * N + pr * p + y) * N + pc * p + x]! / 255;
}

/** Feeds `camera`, `bev`, `ego` for a batch of frames. */
export function frameFeeds(c: VlaConfig, frames: readonly VlaFrame[]): Record<string, HostTensor> {
  const s = patchShapes(c);
  const B = frames.length;
  const camera = new Float32Array(B * s.cameraTokens * s.cameraWidth);
  const bev = new Float32Array(B * s.bevTokens * s.bevWidth);
  const ego = new Float32Array(B * EGO_FEATURES);
  frames.forEach((f, b) => {
    cameraPatches(c, f.camera, camera, b * s.cameraTokens * s.cameraWidth);
    bevPatches(c, f.bev, bev, b * s.bevTokens * s.bevWidth);
    ego[b] = f.ego.speed / SPEED_SCALE;
  });
  return {
    camera: { dtype: 'float32', shape: [B, s.cameraTokens, s.cameraWidth], data: camera },
    bev: { dtype: 'float32', shape: [B, s.bevTokens, s.bevWidth], data: bev },
    ego: { dtype: 'float32', shape: [B, 1, EGO_FEATURES], data: ego },
  };
}

/** Token rows (each at most S long) as an int64 (B, S) feed, padded with `pad`. */
export function tokenFeed(rows: readonly (readonly number[])[], text: number, pad: number): HostTensor {
  const data = new BigInt64Array(rows.length * text).fill(BigInt(pad));
  rows.forEach((row, b) => {
    if (row.length > text) throw new UsageError(`sequence of ${row.length} tokens exceeds ${text}`);
    row.forEach((id, i) => {
      data[b * text + i] = BigInt(id);
    });
  });
  return { dtype: 'int64', shape: [rows.length, text], data };
}

// ---- the model at inference: logits and decoding ----

/** How each next token is chosen: greedy at temperature 0, else sampled from the seeded stream. */
export interface DecodeOptions {
  readonly maxNew: number;
  readonly stop?: ReadonlySet<number>; // ids that end decoding (kept in the output)
  /** The id range [lo, hi) the k-th new token must fall in, given the ids so far; null for any. */
  readonly allowed?: (k: number, sofar: readonly number[]) => readonly [number, number] | null;
  readonly temperature?: number; // default 0: greedy
  readonly rng?: Rng; // required when temperature > 0
}

/**
 * The decoding policy, apart from how logits are computed: yields the ids so far and expects back the logits
 * (V) at their last position; returns the new ids. Sync (kv-cache.ts) and async (VlaModel) callers drive it.
 */
export function* decoding(
  prompt: readonly number[],
  vocab: number,
  maxLength: number,
  o: DecodeOptions,
): Generator<readonly number[], number[], Float32Array> {
  const ids = [...prompt];
  const out: number[] = [];
  while (out.length < o.maxNew && ids.length < maxLength) {
    const row = yield ids;
    const [lo, hi] = o.allowed?.(out.length, out) ?? [0, vocab];
    const id = pick(row, lo, hi, o.temperature ?? 0, o.rng);
    ids.push(id);
    out.push(id);
    if (o.stop?.has(id)) break;
  }
  return out;
}

const TEXT_BUCKET = 16; // inference graphs are built for text lengths rounded up to this [tokens]

/** The text length of the inference graph that decodes maxNew tokens after a prompt of `prompt` tokens. */
export function decodeText(c: VlaConfig, prompt: number, maxNew: number): number {
  return bucket(Math.min(prompt + maxNew, maxText(c)));
}

/** The inference graph for one sequence of S text tokens: params and frame inputs in, `logits` (1, S, V) out. */
export function logitsGraph(c: VlaConfig, vocab: number, text: number): Graph {
  const g = new Graph();
  const w = declareVla(g, c, vocab);
  g.output('logits', vlaLogits(g, c, vocab, w, declareInputs(g, c, 1, text)));
  return g;
}

/** A VLA with fixed parameters: forward passes and decoding on onnxruntime (params fed by reference). */
export class VlaModel {
  private readonly engines = new Map<number, Promise<Engine>>(); // by text length S
  readonly paramFeeds: Readonly<Record<string, HostTensor>>;

  constructor(
    readonly config: VlaConfig,
    readonly vocab: number,
    readonly params: ReadonlyMap<string, Float32Array>,
    private readonly threads = 2,
  ) {
    const g = new Graph();
    declareVla(g, config, vocab);
    const feeds: Record<string, HostTensor> = {};
    for (const p of g.params) {
      const data = params.get(p.name);
      const n = p.tensor.shape.reduce((a, b) => a * b, 1);
      if (!data || data.length !== n) {
        throw new UsageError(`param '${p.name}' has ${data?.length ?? 0} values, expected ${n}`);
      }
      feeds[p.name] = { dtype: 'float32', shape: p.tensor.shape, data };
    }
    if (params.size !== g.params.length) {
      throw new UsageError(`${params.size} params given, the model has ${g.params.length}`);
    }
    this.paramFeeds = feeds;
  }

  /** A model with freshly initialised parameters drawn from `seed`. */
  static init(config: VlaConfig, vocab: number, seed: number, threads = 2): VlaModel {
    const g = new Graph();
    declareVla(g, config, vocab);
    return new VlaModel(config, vocab, initParams(g.params, seed), threads);
  }

  private engine(text: number): Promise<Engine> {
    let e = this.engines.get(text);
    if (!e) {
      e = createOrtEngine(logitsGraph(this.config, this.vocab, text), { threads: this.threads });
      this.engines.set(text, e);
    }
    return e;
  }

  /** Logits (S, V) at every text position of one frame's sequence `tokens`, padded to a bucket. */
  async logits(
    frame: VlaFrame,
    tokens: readonly number[],
    text = bucket(tokens.length),
  ): Promise<Float32Array> {
    if (text > maxText(this.config)) {
      throw new UsageError(`${text} text tokens exceed the model's ${maxText(this.config)}`);
    }
    const feeds: Feeds = {
      ...this.paramFeeds,
      ...frameFeeds(this.config, [frame]),
      tokens: tokenFeed([tokens], text, 0),
    };
    const out = await (await this.engine(text)).run(feeds);
    return out.logits!.data as Float32Array;
  }

  /**
   * Continues `prompt` by up to maxNew tokens for `frame`; returns the new ids. Each token re-runs the whole
   * sequence (the simple oracle; kv-cache.ts is the fast path): causal masking makes the padding inert.
   */
  async generate(frame: VlaFrame, prompt: readonly number[], o: DecodeOptions): Promise<number[]> {
    const text = decodeText(this.config, prompt.length, o.maxNew);
    const steps = decoding(prompt, this.vocab, text, o);
    let next = steps.next();
    while (!next.done) {
      const ids = next.value;
      const logits = await this.logits(frame, ids, text);
      next = steps.next(logits.subarray((ids.length - 1) * this.vocab, ids.length * this.vocab));
    }
    return next.value;
  }

  async dispose(): Promise<void> {
    for (const e of this.engines.values()) await (await e).dispose();
    this.engines.clear();
  }
}

function bucket(n: number): number {
  return Math.max(TEXT_BUCKET, Math.ceil(n / TEXT_BUCKET) * TEXT_BUCKET);
}

/** argmax of row[lo, hi) at temperature 0, else a softmax sample at that temperature. */
export function pick(row: Float32Array, lo: number, hi: number, temperature: number, rng?: Rng): number {
  let best = lo;
  for (let i = lo + 1; i < hi; i++) if (row[i]! > row[best]!) best = i;
  if (temperature <= 0) return best;
  if (!rng) throw new UsageError('sampling at temperature > 0 needs an rng');
  let total = 0;
  const weights = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) total += weights[i - lo] = Math.exp((row[i]! - row[best]!) / temperature);
  let u = rng.next() * total;
  for (let i = lo; i < hi; i++) {
    u -= weights[i - lo]!;
    if (u <= 0) return i;
  }
  return hi - 1;
}
