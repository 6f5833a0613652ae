// Pre-training hook: loads a Qwen2-architecture Hugging Face checkpoint (config.json + safetensors, one file or
// sharded, F32/BF16/F16) onto the decoder's weights. Not the VLA's vision part (vla.ts keeps its own patch layers).
//
// Mapping (PyTorch Linear weights are (out, in); ours are (in, out), so every projection is transposed):
//   model.embed_tokens.weight (V, C)                        -> embed (V, C)
//   model.layers.N.input_layernorm.weight (C)               -> layerN.attn_norm
//   model.layers.N.self_attn.{q,k,v}_proj.weight            -> layerN.wqkv (C, (H + 2 KV) hd), q then k then v
//   model.layers.N.self_attn.o_proj.weight (C, H hd)        -> layerN.wo (H hd, C)
//   model.layers.N.post_attention_layernorm.weight (C)      -> layerN.mlp_norm
//   model.layers.N.mlp.{gate,up}_proj.weight (F, C)         -> layerN.w_gate, layerN.w_up (C, F)
//   model.layers.N.mlp.down_proj.weight (C, F)              -> layerN.w_down (F, C)
//   model.norm.weight (C)                                   -> final_norm
//   lm_head.weight (V, C), or the embedding when tied       -> lm_head (C, V)
// Both use rotate-half RoPE with the same frequencies, so q and k rows need no permutation.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { TransformerConfig } from './transformer.js';

const qwen2ConfigSchema = z.looseObject({
  hidden_size: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  vocab_size: z.number().int().positive(),
  rms_norm_eps: z.number().positive(),
  rope_theta: z.number().positive(),
  tie_word_embeddings: z.boolean().optional(),
});

export interface Qwen2Weights {
  readonly config: TransformerConfig;
  readonly params: Map<string, Float32Array>; // named as declareTransformer names them (no prefix)
  /** Non-zero q/k/v biases Qwen2 has and our decoder does not; the caller decides whether dropping is fine. */
  readonly droppedBiases: readonly string[];
}

interface RawTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Reads float tensors (F32, BF16, F16) of one safetensors file, widened to float32. */
export function readFloatSafetensors(file: string): Map<string, RawTensor> {
  const bytes = readFileSync(file);
  const fail = (message: string, field?: string): never => {
    throw new InputError({ file, field, message });
  };
  if (bytes.byteLength < 8) fail('too short for a safetensors file');
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (8 + headerLength > bytes.byteLength) fail('header runs past the end of the file');
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const data = bytes.subarray(8 + headerLength);
  const out = new Map<string, RawTensor>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const [begin, end] = e.data_offsets;
    const n = e.shape.reduce((a, b) => a * b, 1);
    const width =
      e.dtype === 'F32' ? 4 : e.dtype === 'BF16' || e.dtype === 'F16' ? 2 : fail(`dtype ${e.dtype}`, name);
    if (end - begin !== n * width || end > data.byteLength) fail('data_offsets do not match the shape', name);
    const view = new DataView(data.buffer, data.byteOffset + begin, end - begin);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (e.dtype === 'F32') values[i] = view.getFloat32(4 * i, true);
      else if (e.dtype === 'BF16') values[i] = bf16(view.getUint16(2 * i, true));
      else values[i] = f16(view.getUint16(2 * i, true));
    }
    out.set(name, { shape: e.shape, data: values });
  }
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));
function bf16(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function f16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** (rows, cols) row-major -> (cols, rows). */
function transpose(t: RawTensor): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c]!;
  return out;
}

/** Loads the Qwen2 checkpoint in `dir` (config.json and model.safetensors or its sharded index). */
export function loadQwen2(dir: string): Qwen2Weights {
  const configPath = join(dir, 'config.json');
  const q = loadJsonConfig(qwen2ConfigSchema, configPath);
  const config: TransformerConfig = {
    vocab: q.vocab_size,
    dModel: q.hidden_size,
    layers: q.num_hidden_layers,
    heads: q.num_attention_heads,
    kvHeads: q.num_key_value_heads,
    ffnHidden: q.intermediate_size,
    ropeTheta: q.rope_theta,
    normEps: q.rms_norm_eps,
  };
  const tensors = readShards(dir);
  const file = join(dir, 'model.safetensors');
  const get = (name: string, shape: readonly number[]): RawTensor => {
    const t = tensors.get(name);
    if (!t) throw new InputError({ file, field: name, message: 'missing' });
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new InputError({ file, field: name, message: `shape [${t.shape}], config implies [${shape}]` });
    }
    return t;
  };
  const { dModel: C, heads: H, kvHeads: KV, ffnHidden: F, vocab: V } = config;
  const hd = C / H;
  const params = new Map<string, Float32Array>();
  const droppedBiases: string[] = [];
  const embed = get('model.embed_tokens.weight', [V, C]);
  params.set('embed', embed.data);
  for (let l = 0; l < config.layers; l++) {
    const p = `model.layers.${l}.`;
    params.set(`layer${l}.attn_norm`, get(`${p}input_layernorm.weight`, [C]).data);
    const q = transpose(get(`${p}self_attn.q_proj.weight`, [H * hd, C])); // (C, H hd)
    const k = transpose(get(`${p}self_attn.k_proj.weight`, [KV * hd, C])); // (C, KV hd)
    const v = transpose(get(`${p}self_attn.v_proj.weight`, [KV * hd, C])); // (C, KV hd)
    const width = (H + 2 * KV) * hd;
    const wqkv = new Float32Array(C * width); // (C, (H + 2 KV) hd)
    for (let c = 0; c < C; c++) {
      wqkv.set(q.subarray(c * H * hd, (c + 1) * H * hd), c * width);
      wqkv.set(k.subarray(c * KV * hd, (c + 1) * KV * hd), c * width + H * hd);
      wqkv.set(v.subarray(c * KV * hd, (c + 1) * KV * hd), c * width + (H + KV) * hd);
    }
    params.set(`layer${l}.wqkv`, wqkv);
    for (const b of ['q', 'k', 'v']) {
      const bias = tensors.get(`${p}self_attn.${b}_proj.bias`);
      if (bias?.data.some((x) => x !== 0)) droppedBiases.push(`${p}self_attn.${b}_proj.bias`);
    }
    params.set(`layer${l}.wo`, transpose(get(`${p}self_attn.o_proj.weight`, [C, H * hd])));
    params.set(`layer${l}.mlp_norm`, get(`${p}post_attention_layernorm.weight`, [C]).data);
    params.set(`layer${l}.w_gate`, transpose(get(`${p}mlp.gate_proj.weight`, [F, C])));
    params.set(`layer${l}.w_up`, transpose(get(`${p}mlp.up_proj.weight`, [F, C])));
    params.set(`layer${l}.w_down`, transpose(get(`${p}mlp.down_proj.weight`, [C, F])));
  }
  params.set('final_norm', get('model.norm.weight', [C]).data);
  const tied = q.tie_word_embeddings === true || !tensors.has('lm_head.weight');
  params.set('lm_head', transpose(tied ? embed : get('lm_head.weight', [V, C])));
  return { config, params, droppedBiases };
}

/** model.safetensors.index.json: which shard file holds each tensor. */
const shardIndexSchema = z.object({ weight_map: z.record(z.string(), z.string()) });

/** Every tensor of the checkpoint: model.safetensors, or the shards model.safetensors.index.json names. */
function readShards(dir: string): Map<string, RawTensor> {
  const index = join(dir, 'model.safetensors.index.json');
  if (!existsSync(index)) return readFloatSafetensors(join(dir, 'model.safetensors'));
  const { weight_map: map } = loadJsonConfig(shardIndexSchema, index);
  const all = new Map<string, RawTensor>();
  for (const shard of [...new Set(Object.values(map))].sort()) {
    for (const [name, t] of readFloatSafetensors(join(dir, shard))) all.set(name, t);
  }
  return all;
}
