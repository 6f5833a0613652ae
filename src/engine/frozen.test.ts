import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { vlaPreset } from '../model/config.js';
import { blockContext, declareTransformer, languageModel } from '../model/transformer.js';
import { declareVla } from '../model/vla.js';
import { saveCheckpoint } from './checkpoint.js';
import { repeatBatch, TINY, TINY_BATCH, TINY_OPTIM, TINY_SEQ } from './fixtures/toy-task.js';
import { Graph } from './graph.js';
import { crossEntropy, klDivergence, targetMask } from './losses.js';
import { readSafetensors } from './safetensors.js';
import { Trainer } from './trainer.js';

const N = TINY_BATCH * TINY_SEQ;
const REF = { prefix: 'ref/', frozen: true } as const;

/** The toy model's loss, plus (when `ref` says how) a term on a frozen copy named ref/...: (g) => scalar. */
function build(ref: 'none' | 'ce' | 'kl') {
  return (g: Graph) => {
    const tokens = g.input('tokens', [TINY_BATCH, TINY_SEQ], 'int64');
    const targets = g.reshape(g.input('targets', [TINY_BATCH, TINY_SEQ], 'int64'), [N]);
    const ctx = blockContext(g, TINY, TINY_SEQ);
    const logits = (w: ReturnType<typeof declareTransformer>) =>
      g.reshape(languageModel(g, tokens, w, ctx), [N, TINY.vocab]);
    const policy = logits(declareTransformer(g, TINY));
    const loss = crossEntropy(g, policy, targets);
    if (ref === 'none') return loss;
    const frozen = logits(g.declare(REF, () => declareTransformer(g, TINY)));
    const extra =
      ref === 'ce'
        ? crossEntropy(g, frozen, targets) // moves the loss, not the policy's gradient
        : klDivergence(g, policy, frozen, targetMask(g, targets, -100));
    return g.add(loss, extra);
  };
}

const create = (ref: 'none' | 'ce' | 'kl', frozen?: ReadonlyMap<string, Float32Array>) =>
  Trainer.create({ build: build(ref), optim: TINY_OPTIM, seed: 4, threads: 1, frozen });

async function train(trainer: Trainer, steps: number): Promise<number[]> {
  const rng = new Rng(8);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await trainer.trainStep(repeatBatch(rng))).loss);
  return losses;
}

describe('frozen params', () => {
  it('are fed but never updated, carry no optimiser state and are not saved; the trained copy is unaffected', async () => {
    const alone = await create('none');
    const start = new Map([...alone.params()].map(([name, p]) => [`ref/${name}`, Float32Array.from(p)]));
    const given = new Map([...start].map(([name, p]) => [name, Float32Array.from(p)]));
    const pair = await create('ce', given);
    expect(pair.graph.frozen.map((p) => p.name)).toEqual([...start.keys()]);
    expect(pair.paramSpecs.map((p) => p.name)).toEqual(alone.paramSpecs.map((p) => p.name));
    const [lossAlone, lossPair] = [await train(alone, 6), await train(pair, 6)];
    for (const [name, p] of given) expect(p).toEqual(start.get(name)); // never written
    for (const [name, p] of alone.params()) expect(pair.params().get(name)).toEqual(p);
    expect(lossPair[0]! - lossAlone[0]!).toBeGreaterThan(1); // the frozen copy's CE, ~ln 16, is in the loss
    const held = repeatBatch(new Rng(99));
    expect((await pair.evalLoss(held)) - (await alone.evalLoss(held))).toBeGreaterThan(1); // forward graph too
    const state = pair.snapshot();
    for (const group of [state.params, state.m, state.v]) {
      expect([...group.keys()].some((name) => name.startsWith('ref/'))).toBe(false);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'drivefm-frozen-')), 'ckpt.safetensors');
    saveCheckpoint(file, { state, rng: new Rng(1).state }, pair.paramShapes());
    const saved = [...readSafetensors(file).tensors.keys()];
    expect(saved.length).toBe(3 * alone.paramSpecs.length);
    expect(saved.some((name) => name.includes('ref/'))).toBe(false);
    await Promise.all([alone.dispose(), pair.dispose()]);
  });

  it('reach the loss: a KL to the frozen copy changes the steps, and missing values are refused', async () => {
    const alone = await create('none');
    const start = new Map([...alone.params()].map(([name, p]) => [`ref/${name}`, Float32Array.from(p)]));
    const kl = await create('kl', start);
    const [lossAlone, lossKl] = [await train(alone, 6), await train(kl, 6)];
    expect(lossKl[0]).toBeCloseTo(lossAlone[0]!, 5); // KL to itself is 0 at the start
    const drift = (name: string) => Math.abs(alone.params().get(name)![0]! - kl.params().get(name)![0]!);
    expect(Math.max(...alone.paramSpecs.map((p) => drift(p.name)))).toBeGreaterThan(0);
    await Promise.all([alone.dispose(), kl.dispose()]);
    await expect(create('kl')).rejects.toThrow("frozen param 'ref/layer0.attn_norm' has 0 values");
  });

  it('a VLA declared under a frozen prefix sits beside the trained one, every name prefixed', () => {
    const g = new Graph();
    declareVla(g, vlaPreset('tiny-student'), 40);
    declareVla(g, vlaPreset('tiny-student'), 40, REF);
    expect(g.frozen.map((p) => p.name)).toEqual(g.params.map((p) => `ref/${p.name}`));
    expect(g.params.some((p) => p.name.startsWith('ref/'))).toBe(false);
  });
});
