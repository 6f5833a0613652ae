// Post-training int8 of a vehicle graph: activation scales calibrated by running the fp32 graph on lake frames,
// and int8 (weight-only or static) measured against fp32 on held-out frames. Not the graph (vehicle-graph.ts).
//
// Calibration: per site (an activation feeding a weight matmul), the max |x| of each calibration frame, then the
// max (`range: 'max'`) or the mean (`range: 'mean'`, less hurt by one outlier frame) over frames; scale = that / 127.

import { z } from 'zod';
import { readFrames } from '../data/frames.js';
import { LakeReader } from '../data/lake-reader.js';
import { type Feeds, f32, i64 } from '../engine/engine.js';
import type { Graph } from '../engine/graph.js';
import { toOnnx } from '../engine/onnx.js';
import { createOrtEngine } from '../engine/session.js';
import type { ModelCheckpoint } from '../model/checkpoint.js';
import { drivingPrompt } from '../model/prompt.js';
import type { VlaFrame } from '../model/vla.js';
import type { Recipe } from '../train/recipe.js';
import { type ActivationFormat, promptRoom, vehicleGraph, type WeightFormat } from './vehicle-graph.js';

const INT8_MAX = 127;

/** A frame the car sees and the instruction it is given. */
export interface CarFrame {
  readonly frame: VlaFrame;
  readonly instruction: string;
}

export type QuantiseSettings = Recipe['compress']['quantise'];

/** The vehicle graph's feeds for one frame (the prompt `<bos><instr> instruction <act>` padded to its room). */
export function vehicleFeeds(ckpt: ModelCheckpoint, { frame, instruction }: CarFrame): Feeds {
  const { camera, bev } = ckpt.config;
  const room = promptRoom(ckpt.config, 2 * ckpt.bins.steps);
  const ids = drivingPrompt(ckpt.tokenizer, instruction, 'fast');
  if (ids.length > room) throw new Error(`prompt of ${ids.length} tokens exceeds the model's ${room}`);
  const pad = ckpt.tokenizer.special('<pad>');
  return {
    camera: f32([camera.height, camera.width, 3], frame.camera),
    bev: f32([bev.channels, bev.size, bev.size], frame.bev),
    speed: f32([1], [frame.ego.speed]),
    prompt: i64(
      [1, room],
      Array.from({ length: room }, (_, i) => ids[i] ?? pad),
    ),
    length: i64([1], [ids.length]),
  };
}

function graphOf(ckpt: ModelCheckpoint, format: WeightFormat, activations: ActivationFormat, probe: boolean) {
  return vehicleGraph({
    config: ckpt.config,
    tokenizer: ckpt.tokenizer,
    actions: 2 * ckpt.bins.steps,
    weights: ckpt.params,
    format,
    activations,
    probe,
  });
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** Per-site activation scales from the fp32 graph run on `frames` (one scale per site, `range` over frames). */
export async function calibrate(
  ckpt: ModelCheckpoint,
  frames: readonly CarFrame[],
  range: QuantiseSettings['range'],
): Promise<Float32Array> {
  if (frames.length === 0) throw new Error('calibration needs at least one frame');
  const g = graphOf(ckpt, 'fp32', { kind: 'float' }, true);
  const sites = g.sites.length;
  const perFrame = Array.from({ length: sites }, () => [] as number[]); // [site][frame] max |x|
  const engine = await createOrtEngine(g, { threads: 1 });
  try {
    for (const f of frames) {
      const out = await engine.run(vehicleFeeds(ckpt, f));
      for (let s = 0; s < sites; s++) perFrame[s]!.push(maxAbs(out[`site_${s}`]!.data as Float32Array));
    }
  } finally {
    await engine.dispose();
  }
  const combine = (m: number[]) =>
    range === 'max' ? Math.max(...m) : m.reduce((a, b) => a + b, 0) / m.length;
  return Float32Array.from(perFrame, (m) => Math.max(combine(m), Number.MIN_VALUE) / INT8_MAX);
}

/** The action tokens and per-step span logits of a probe graph on each frame. */
async function decode(g: Graph, ckpt: ModelCheckpoint, frames: readonly CarFrame[]) {
  const engine = await createOrtEngine(g, { threads: 1 });
  const steps = 2 * ckpt.bins.steps;
  try {
    const out = [];
    for (const f of frames) {
      const r = await engine.run(vehicleFeeds(ckpt, f));
      const tokens = Array.from(r.actions!.data as BigInt64Array, Number);
      const logits = Array.from({ length: steps }, (_, k) => r[`logits_${k}`]!.data as Float32Array);
      out.push({ tokens, logits });
    }
    return out;
  } finally {
    await engine.dispose();
  }
}

/** How an int8 graph decodes against fp32 on the same frames. */
export const agreementSchema = z.strictObject({
  agreement: z.number(), // share of action tokens equal to fp32's
  logitError: z.number(), // mean |int8 - fp32| of the span logits, over the steps up to the first disagreement
  logitScale: z.number(), // mean |fp32| of the same logits, for scale
});
export type Agreement = z.infer<typeof agreementSchema>;

/** Token agreement and logit error of `format`/`activations` against the fp32 graph on `frames`. */
export async function agreement(
  ckpt: ModelCheckpoint,
  format: WeightFormat,
  activations: ActivationFormat,
  frames: readonly CarFrame[],
): Promise<Agreement> {
  const ref = await decode(graphOf(ckpt, 'fp32', { kind: 'float' }, true), ckpt, frames);
  const got = await decode(graphOf(ckpt, format, activations, true), ckpt, frames);
  let [same, total, err, scale, n] = [0, 0, 0, 0, 0];
  ref.forEach((r, i) => {
    const q = got[i]!;
    let prefix = true; // the int8 graph decoded the same tokens so far: its logits see the same inputs
    r.tokens.forEach((t, k) => {
      if (prefix) {
        const [a, b] = [r.logits[k]!, q.logits[k]!];
        a.forEach((v, j) => {
          err += Math.abs(v - b[j]!);
          scale += Math.abs(v);
        });
        n += a.length;
      }
      if (t === q.tokens[k]) same++;
      else prefix = false;
      total++;
    });
  });
  return { agreement: same / total, logitError: err / n, logitScale: scale / n };
}

/** The ONNX bytes of the bare vehicle graph (no probes) in a format: what the latency is measured on. */
export function graphBytes(ckpt: ModelCheckpoint, format: WeightFormat, activations: ActivationFormat) {
  return toOnnx(graphOf(ckpt, format, activations, false));
}

/** Calibration frames (training split) and held-out frames (validation split) of the lake, with instructions. */
export async function quantiseFrames(
  lake: string,
  s: QuantiseSettings,
  seed: number,
): Promise<{ calibration: CarFrame[]; heldOut: CarFrame[] }> {
  const reader = await LakeReader.open(lake);
  try {
    const pick = async (split: 'train' | 'val', maxFrames: number) =>
      (await readFrames(reader, { maxFrames, seed, split })).map((f) => ({
        frame: f.frame,
        instruction: f.instruction,
      }));
    return {
      calibration: await pick('train', s.calibrationFrames),
      heldOut: await pick('val', s.heldOutFrames),
    };
  } finally {
    await reader.close();
  }
}
