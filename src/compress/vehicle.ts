// The vehicle file: one self-contained .onnx per car model (weights inside, the tokenizer, action bins and the
// input/output documentation in metadata_props) that stock onnxruntime runs. Not the graph (vehicle-graph.ts).
//
// Decoding is inside the graph (fast mode, greedy): one run of the file returns the 2H action tokens.

import { writeFileAtomic } from '../core/atomic.js';
import { toOnnx } from '../engine/onnx.js';
import { actionBinsToJson } from '../labels/action-bins.js';
import { loadModelCheckpoint, type ModelCheckpoint } from '../model/checkpoint.js';
import { PRE_TOKEN, type Tokenizer } from '../model/tokenizer.js';
import { type ActivationFormat, promptRoom, vehicleGraph, type WeightFormat } from './vehicle-graph.js';

export const VEHICLE_FORMAT = 'drivefm-vehicle-1';
const BYTE_COUNT = 256; // byte tokens before the first merge

export interface ExportOptions {
  readonly int8: boolean; // int8 weights (per-channel QDQ) instead of fp32
  /** Static int8 activations with these calibrated scales (compress/quantise.ts); default float32 activations. */
  readonly activations?: ActivationFormat;
  readonly seed: number; // recorded; the export itself draws nothing
}

export interface ExportResult {
  readonly bytes: number; // of the written file
  readonly parameters: number; // model parameters in it
}

/** Token ids the car needs to build a prompt and read the actions (metadata `drivefm.vocab`). */
export function vocabLayout(tok: Tokenizer) {
  return {
    pad: tok.special('<pad>'),
    bos: tok.special('<bos>'),
    instr: tok.special('<instr>'),
    act: tok.special('<act>'),
    longitudinalStart: tok.longitudinalStart,
    lateralStart: tok.lateralStart,
    byteStart: tok.byteStart,
    firstMerge: tok.byteStart + BYTE_COUNT,
    pretoken: PRE_TOKEN.source, // split text with this (flags g) before byte-level BPE
  };
}

/** The vehicle ONNX bytes of a checkpoint. */
export function vehicleBytes(
  ckpt: ModelCheckpoint,
  format: WeightFormat,
  seed: number,
  activations: ActivationFormat = { kind: 'float' },
): Uint8Array {
  const actions = 2 * ckpt.bins.steps;
  const g = vehicleGraph({
    config: ckpt.config,
    tokenizer: ckpt.tokenizer,
    actions,
    weights: ckpt.params,
    format,
    activations,
  });
  const { height: H, width: W } = ckpt.config.camera;
  const { size: N, channels: K } = ckpt.config.bev;
  const S = promptRoom(ckpt.config, actions);
  const metadata = {
    'drivefm.format': VEHICLE_FORMAT,
    'drivefm.preset': ckpt.preset,
    'drivefm.weights': format,
    'drivefm.activations':
      activations.kind === 'float'
        ? 'float32'
        : 'int8 static: QuantizeLinear/DequantizeLinear with calibrated per-tensor scales before each weight matmul',
    'drivefm.seed': String(seed),
    'drivefm.decoding':
      'fast mode, greedy, inside the graph: one run = prefill + one KV-cached step per action token',
    'drivefm.inputs': JSON.stringify({
      camera: `float32 (${H}, ${W}, 3): RGB byte values 0..255, row-major`,
      bev: `float32 (${K}, ${N}, ${N}): BEV raster byte values 0..255 (sensors/bev.ts channels)`,
      speed: 'float32 (1): ego speed [m/s]',
      prompt: `int64 (1, ${S}): <bos> <instr> BPE(instruction) <act>, padded with <pad>`,
      length: 'int64 (1): prompt tokens before the padding',
    }),
    'drivefm.outputs': JSON.stringify({
      actions: `int64 (1, ${actions}): token ids; even k longitudinal (bin = id - longitudinalStart), odd k lateral (bin = id - lateralStart)`,
    }),
    'drivefm.prompt_tokens': String(S),
    'drivefm.vocab': JSON.stringify(vocabLayout(ckpt.tokenizer)),
    'drivefm.tokenizer': JSON.stringify(ckpt.tokenizer.toJSON()),
    'drivefm.action_bins': JSON.stringify(actionBinsToJson(ckpt.bins)),
    'drivefm.model': JSON.stringify(ckpt.config),
  };
  return toOnnx(g, new Map(), metadata);
}

/** Writes the vehicle file of the checkpoint in `checkpointDir` to `outFile` (atomically). */
export async function exportVehicle(
  checkpointDir: string,
  outFile: string,
  opts: ExportOptions,
): Promise<ExportResult> {
  const ckpt = loadModelCheckpoint(checkpointDir);
  const bytes = vehicleBytes(ckpt, opts.int8 ? 'int8' : 'fp32', opts.seed, opts.activations);
  writeFileAtomic(outFile, bytes);
  let parameters = 0;
  for (const p of ckpt.params.values()) parameters += p.length;
  return { bytes: bytes.length, parameters };
}
