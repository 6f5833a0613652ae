import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { ACTION_BINS_FILE, generateLake } from '../data/generate.js';
import { f32, type HostTensor } from '../engine/engine.js';
import { writeSafetensors } from '../engine/safetensors.js';
import { CONFIG_FILE, loadModelCheckpoint } from '../model/checkpoint.js';
import { LoopStopped } from './loop.js';
import { loadRecipe } from './recipe.js';
import { runStage } from './run-stage.js';
import { PIPELINE_STAGES } from './stages/index.js';

const root = mkdtempSync(join(tmpdir(), 'vla-stages-'));
const lake = join(root, 'run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
});

const recipe = loadRecipe('tiny');
const common = { lake, recipe, steps: 12, batch: 4, seed: 3, maxFrames: 24, quiet: true } as const;

/** Every file of a checkpoint folder, by name: wall times are never among them. */
const bytesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
  );

describe('training stages on the tiny preset', () => {
  it('runs every stage end to end from the previous checkpoint, each lowering its own loss', async () => {
    let from: string | undefined;
    for (const stage of PIPELINE_STAGES) {
      const out = join(root, stage);
      const lr = stage === 'pretrain' ? 3e-3 : 2e-3;
      const record = await runStage({ ...common, stage, from, out, preset: 'tiny-teacher', lr });
      expect(record.stage).toBe(stage);
      expect(record.lossAfter).toBeLessThan(record.lossBefore);
      from = out;
    }
    const final = loadModelCheckpoint(from!);
    expect(final.stages.map((s) => s.stage)).toEqual([...PIPELINE_STAGES]);
    expect(final.preset).toBe('tiny-teacher');
    // the config records the whole recipe (with this call's overrides) and the seed
    expect(final.madeBy?.seed).toBe(3);
    expect(final.madeBy?.recipe).toMatchObject({
      data: 'tiny',
      stages: { instruct: { steps: 12, lr: 2e-3 } },
    });
  });

  it('writes byte-identical checkpoints for a seed (wall times apart) and resumes a killed run to the same bytes', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const run = {
      ...common,
      steps: 6,
      checkpointEvery: 2,
      stage: 'pretrain',
      preset: 'tiny-student',
    } as const;
    for (const out of [a, b]) await runStage({ ...run, out });
    expect(bytesOf(a)).toEqual(bytesOf(b));
    expect(Object.keys(bytesOf(a))).toContain(CONFIG_FILE);
    // killed after step 5 (last periodic state at 4) over a finished checkpoint: nothing there passes for one
    await expect(runStage({ ...run, out: b, stopAfter: 5 })).rejects.toThrow(LoopStopped);
    expect(() => loadModelCheckpoint(b)).toThrow(/not a finished checkpoint/);
    const resumed = await runStage({ ...run, out: b });
    expect(bytesOf(b)).toEqual(bytesOf(a));
    expect(resumed.resumedAt).toBe(4);
    expect(resumed.losses).toHaveLength(6);
  });

  it('refuses to write over its --from, a run folder or a folder that is not a checkpoint', async () => {
    const a = join(root, 'a');
    const align = { ...common, steps: 1, stage: 'align', from: a } as const;
    await expect(runStage({ ...align, out: a })).rejects.toThrow(/is the --from checkpoint/);
    await expect(runStage({ ...align, out: lake })).rejects.toThrow(/is a run folder/);
    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, CONFIG_FILE), '{"my": "settings"}');
    await expect(runStage({ ...align, out: mine })).rejects.toThrow(
      /its config.json is not a drivefm checkpoint's/,
    );
    expect(readFileSync(join(mine, CONFIG_FILE), 'utf8')).toBe('{"my": "settings"}');
    writeFileSync(join(mine, 'notes.txt'), 'keep');
    rmSync(join(mine, CONFIG_FILE));
    await expect(runStage({ ...align, out: mine })).rejects.toThrow(
      /holds notes.txt: not a checkpoint folder/,
    );
  });

  it("refuses a checkpoint whose action bins are not the lake's", async () => {
    const other = join(root, 'other-run');
    cpSync(lake, other, { recursive: true });
    const bins = JSON.parse(readFileSync(join(other, ACTION_BINS_FILE), 'utf8'));
    bins.longitudinal.centres[0] -= 0.125;
    writeFileSync(join(other, ACTION_BINS_FILE), JSON.stringify(bins));
    const align = {
      ...common,
      steps: 1,
      stage: 'align',
      from: join(root, 'a'),
      out: join(root, 'x'),
    } as const;
    await expect(runStage({ ...align, lake: other })).rejects.toThrow(
      /action bins are not those of the lake/,
    );
  });

  it('refuses a stage without --from or a mismatched preset', async () => {
    const a = join(root, 'a');
    await expect(runStage({ ...common, stage: 'align', out: join(root, 'c') })).rejects.toThrow(/--from/);
    await expect(
      runStage({ ...common, stage: 'align', from: a, out: join(root, 'c'), preset: 'tiny-teacher' }),
    ).rejects.toThrow(/tiny-student/);
  });

  it('starts pretrain from a Qwen2 checkpoint: its decoder shape and weights, our vision layers', async () => {
    const qwen = join(root, 'qwen2');
    mkdirSync(qwen, { recursive: true });
    const [C, F, L, H, KV, V] = [32, 48, 1, 4, 2, 100]; // a decoder unlike any preset's
    const t = new Map<string, HostTensor>();
    const fill = (name: string, shape: number[], v: number) =>
      t.set(name, f32(shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v)));
    fill('model.embed_tokens.weight', [V, C], 0.01);
    const p = 'model.layers.0.';
    fill(`${p}input_layernorm.weight`, [C], 0.5);
    fill(`${p}post_attention_layernorm.weight`, [C], 0.5);
    fill(`${p}self_attn.q_proj.weight`, [C, C], 0.01);
    fill(`${p}self_attn.k_proj.weight`, [(C / H) * KV, C], 0.01);
    fill(`${p}self_attn.v_proj.weight`, [(C / H) * KV, C], 0.01);
    fill(`${p}self_attn.o_proj.weight`, [C, C], 0.01);
    fill(`${p}mlp.gate_proj.weight`, [F, C], 0.01);
    fill(`${p}mlp.up_proj.weight`, [F, C], 0.01);
    fill(`${p}mlp.down_proj.weight`, [C, F], 0.01);
    fill('model.norm.weight', [C], 0.75);
    writeSafetensors(join(qwen, 'model.safetensors'), t);
    const config = {
      hidden_size: C,
      intermediate_size: F,
      num_hidden_layers: L,
      num_attention_heads: H,
      num_key_value_heads: KV,
      vocab_size: V,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      tie_word_embeddings: true,
    };
    writeFileSync(join(qwen, 'config.json'), JSON.stringify(config));
    const out = join(root, 'from-qwen2');
    await runStage({
      ...common,
      steps: 1,
      lr: 1e-9,
      stage: 'pretrain',
      out,
      preset: 'tiny-teacher',
      initQwen2: qwen,
    });
    const ckpt = loadModelCheckpoint(out);
    expect(ckpt.preset).toBe('tiny-teacher+qwen2');
    expect([ckpt.config.dModel, ckpt.config.ffnHidden, ckpt.config.layers]).toEqual([C, F, L]);
    expect(ckpt.params.get('final_norm')![0]).toBeCloseTo(0.75, 5); // loaded, barely moved by one tiny step
    expect(ckpt.params.get('embed')!.length).toBe(ckpt.tokenizer.vocabSize * C); // our vocabulary, not Qwen's
  });
});
