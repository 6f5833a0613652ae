import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { vlaPreset } from '../model/config.js';
import { patchShapes, type VlaFrame, VlaModel } from '../model/vla.js';
import { batchFeeds } from '../train/objective.js';
import type { Example } from '../train/sequences.js';
import {
  choosePruning,
  measureImportance,
  type PrunePlan,
  prunedConfig,
  pruneParams,
  zeroedParams,
} from './prune.js';

const config = vlaPreset('tiny-teacher'); // 2 layers, 4 heads in 2 KV groups, hd 16, 128 channels
const VOCAB = 40;
const SHARES = { kvGroups: 0.5, headsPerGroup: 0.5, channels: 0.5 };

function frame(rng: Rng): VlaFrame {
  const s = config.camera;
  const camera = Uint8Array.from({ length: s.width * s.height * 3 }, () => rng.int(256));
  const bev = Uint8Array.from({ length: config.bev.channels * config.bev.size ** 2 }, () => rng.int(256));
  return { camera, bev, ego: { speed: 4 } };
}

function example(rng: Rng): Example {
  const tokens = Array.from({ length: 16 }, () => rng.int(VOCAB));
  return { frame: frame(rng), tokens, targets: [...tokens.slice(1), -100] };
}

describe('structured pruning', () => {
  it('gives a dense config of fewer groups, heads and channels with the same width and head width', () => {
    const c = prunedConfig(config, SHARES);
    expect([c.kvHeads, c.heads, c.ffnHidden, c.headDim, c.dModel]).toEqual([1, 1, 64, 16, 64]);
    expect(prunedConfig(config, { kvGroups: 1, headsPerGroup: 1, channels: 1 }).heads).toBe(4);
    expect(patchShapes(c)).toEqual(patchShapes(config));
  });

  it("a pruned model's logits equal the original's with the removed units zeroed", async () => {
    const original = VlaModel.init(config, VOCAB, 7);
    const plan: PrunePlan = {
      layers: [
        { groups: [1], heads: [3], channels: Array.from({ length: 64 }, (_, j) => 2 * j + 1) },
        { groups: [0], heads: [0], channels: Array.from({ length: 64 }, (_, j) => j + 64) },
      ],
    };
    const small = new VlaModel(
      prunedConfig(config, SHARES),
      VOCAB,
      pruneParams(config, original.params, plan),
    );
    const zeroed = new VlaModel(config, VOCAB, zeroedParams(config, original.params, plan));
    const rng = new Rng(3);
    const f = frame(rng);
    const tokens = Array.from({ length: 12 }, () => rng.int(VOCAB));
    const [a, b, full] = [
      await small.logits(f, tokens),
      await zeroed.logits(f, tokens),
      await original.logits(f, tokens),
    ];
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-4);
    let moved = 0;
    for (let i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(full[i]! - b[i]!));
    expect(moved).toBeGreaterThan(1e-3); // the removed units mattered: the check is not vacuous
    await Promise.all([small.dispose(), zeroed.dispose(), original.dispose()]);
  });

  it('scores planted dead units 0 and removes them first', async () => {
    const params = new Map(VlaModel.init(config, VOCAB, 11).params);
    const hd = 16;
    // layer 0: group 0 (heads 0, 1) dead; layer 1: head 3 dead; channels 5 and 9 of layer 1 dead
    const wo0 = Float32Array.from(params.get('layer0.wo')!);
    wo0.fill(0, 0, 2 * hd * config.dModel);
    const wo1 = Float32Array.from(params.get('layer1.wo')!);
    wo1.fill(0, 3 * hd * config.dModel, 4 * hd * config.dModel);
    const down1 = Float32Array.from(params.get('layer1.w_down')!);
    for (const j of [5, 9]) down1.fill(0, j * config.dModel, (j + 1) * config.dModel);
    params.set('layer0.wo', wo0).set('layer1.wo', wo1).set('layer1.w_down', down1);
    const rng = new Rng(5);
    const batches = [0, 1].map(() => batchFeeds(config, [example(rng), example(rng)], 16));
    const imp = await measureImportance(config, VOCAB, params, batches);
    expect(imp.groups[0]![0]).toBe(0);
    expect(imp.groups[0]![1]).toBeGreaterThan(0);
    expect(imp.heads[1]![3]).toBe(0);
    expect(Math.min(...imp.heads[1]!.subarray(0, 3))).toBeGreaterThan(0);
    expect([imp.channels[1]![5], imp.channels[1]![9]]).toEqual([0, 0]);
    const plan = choosePruning(config, imp, { kvGroups: 0.5, headsPerGroup: 0.5, channels: 126 / 128 });
    expect(plan.layers[0]!.groups).toEqual([1]);
    expect(plan.layers[1]!.heads).not.toContain(3);
    expect(plan.layers[1]!.channels).toHaveLength(126);
    expect(plan.layers[1]!.channels).not.toContain(5);
    expect(plan.layers[1]!.channels).not.toContain(9);
  });
});
