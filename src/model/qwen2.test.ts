import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { f32, type HostTensor, i64 } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { writeSafetensors } from '../engine/safetensors.js';
import { createOrtEngine } from '../engine/session.js';
import { initParams } from '../engine/trainer.js';
import { loadQwen2, readFloatSafetensors } from './qwen2.js';
import { blockContext, declareTransformer, languageModel, type TransformerConfig } from './transformer.js';

const dir = mkdtempSync(join(tmpdir(), 'qwen2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CFG: TransformerConfig = {
  vocab: 13,
  dModel: 16,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  ffnHidden: 24,
  ropeTheta: 1_000_000,
  normEps: 1e-6,
};

/** (rows, cols) -> (cols, rows) as a safetensors F32 entry. */
function torchLinear(data: Float32Array, rows: number, cols: number): HostTensor {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return f32([cols, rows], out);
}

/** Writes our seeded params in Hugging Face Qwen2 layout; returns the params. */
function writeQwen2(): Map<string, Float32Array> {
  const g = new Graph();
  declareTransformer(g, CFG);
  const ours = initParams(g.params, 9);
  const { dModel: C, heads: H, kvHeads: KV, ffnHidden: F, vocab: V } = CFG;
  const hd = C / H;
  const t = new Map<string, HostTensor>();
  t.set('model.embed_tokens.weight', f32([V, C], ours.get('embed')!));
  for (let l = 0; l < CFG.layers; l++) {
    const p = `model.layers.${l}.`;
    const wqkv = ours.get(`layer${l}.wqkv`)!; // (C, (H + 2 KV) hd)
    const width = (H + 2 * KV) * hd;
    const cols = (from: number, n: number) =>
      Float32Array.from({ length: C * n }, (_, i) => wqkv[Math.floor(i / n) * width + from + (i % n)]!);
    t.set(`${p}self_attn.q_proj.weight`, torchLinear(cols(0, H * hd), C, H * hd));
    t.set(`${p}self_attn.k_proj.weight`, torchLinear(cols(H * hd, KV * hd), C, KV * hd));
    t.set(`${p}self_attn.v_proj.weight`, torchLinear(cols((H + KV) * hd, KV * hd), C, KV * hd));
    t.set(`${p}self_attn.q_proj.bias`, f32([H * hd], new Float32Array(H * hd).fill(l === 1 ? 0.5 : 0)));
    t.set(`${p}self_attn.o_proj.weight`, torchLinear(ours.get(`layer${l}.wo`)!, C, C));
    t.set(`${p}input_layernorm.weight`, f32([C], ours.get(`layer${l}.attn_norm`)!));
    t.set(`${p}post_attention_layernorm.weight`, f32([C], ours.get(`layer${l}.mlp_norm`)!));
    t.set(`${p}mlp.gate_proj.weight`, torchLinear(ours.get(`layer${l}.w_gate`)!, C, F));
    t.set(`${p}mlp.up_proj.weight`, torchLinear(ours.get(`layer${l}.w_up`)!, C, F));
    t.set(`${p}mlp.down_proj.weight`, torchLinear(ours.get(`layer${l}.w_down`)!, F, C));
  }
  t.set('model.norm.weight', f32([C], ours.get('final_norm')!));
  t.set('lm_head.weight', torchLinear(ours.get('lm_head')!, C, V));
  writeSafetensors(join(dir, 'model.safetensors'), t);
  const config = {
    architectures: ['Qwen2ForCausalLM'],
    hidden_size: C,
    num_attention_heads: H,
    num_key_value_heads: KV,
    intermediate_size: F,
    num_hidden_layers: CFG.layers,
    vocab_size: V,
    rms_norm_eps: CFG.normEps,
    rope_theta: CFG.ropeTheta,
    tie_word_embeddings: false,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return ours;
}

async function logits(params: ReadonlyMap<string, Float32Array>): Promise<Float32Array> {
  const g = new Graph();
  const w = declareTransformer(g, CFG);
  g.output('logits', languageModel(g, g.input('tokens', [1, 5], 'int64'), w, blockContext(g, CFG, 5)));
  const feeds: Record<string, HostTensor> = { tokens: i64([1, 5], [3, 1, 4, 1, 5]) };
  for (const p of g.params) feeds[p.name] = f32(p.tensor.shape, params.get(p.name)!);
  const engine = await createOrtEngine(g, { threads: 1 });
  const out = (await engine.run(feeds)).logits!.data as Float32Array;
  await engine.dispose();
  return out;
}

describe('Qwen2 loader', () => {
  it('maps a Hugging Face Qwen2 checkpoint onto the decoder: same config, same params, same logits', async () => {
    const ours = writeQwen2();
    const loaded = loadQwen2(dir);
    expect(loaded.config).toEqual(CFG);
    for (const [name, data] of ours) expect(Array.from(loaded.params.get(name)!)).toEqual(Array.from(data));
    expect(loaded.droppedBiases).toEqual(['model.layers.1.self_attn.q_proj.bias']);
    expect(Array.from(await logits(loaded.params))).toEqual(Array.from(await logits(ours)));
  });

  it('widens BF16 and F16 tensors and names a tensor whose shape disagrees with the config', () => {
    const header = JSON.stringify({
      a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'F16', shape: [2], data_offsets: [4, 8] },
    });
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    const data = Buffer.alloc(8);
    for (const [i, bits] of [0x3f80, 0xc020, 0x3c00, 0xc100].entries()) data.writeUInt16LE(bits, 2 * i);
    const file = join(dir, 'half.safetensors');
    writeFileSync(file, Buffer.concat([prefix, Buffer.from(header), data]));
    const t = readFloatSafetensors(file);
    expect(Array.from(t.get('a')!.data)).toEqual([1, -2.5]);
    expect(Array.from(t.get('b')!.data)).toEqual([1, -2.5]);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...baseConfig(), hidden_size: 32 }));
    expect(() => loadQwen2(dir)).toThrow(/embed_tokens/);
  });
});

function baseConfig() {
  return {
    hidden_size: CFG.dModel,
    num_attention_heads: CFG.heads,
    num_key_value_heads: CFG.kvHeads,
    intermediate_size: CFG.ffnHidden,
    num_hidden_layers: CFG.layers,
    vocab_size: CFG.vocab,
    rms_norm_eps: CFG.normEps,
    rope_theta: CFG.ropeTheta,
  };
}
