import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { loadRecipe } from '../train/recipe.js';
import type { PairSet } from './dataset.js';
import { agreement as headAgreement } from './evaluate.js';
import { FAMILIES, FEATURES, familyOf, TOKENS } from './features.js';
import { HEAD_SLOTS, OUTPUT_WIDTH } from './heads.js';
import { RewardNetwork } from './network.js';
import { fitRewardNetwork } from './train.js';

const SCHEDULE = loadRecipe('tiny').schedule;
const SIZE = { dModel: 16, layers: 1, heads: 2, ffnHidden: 32 };
const DAC = HEAD_SLOTS.findIndex((s) => s.name === 'dac');
const EP = HEAD_SLOTS.findIndex((s) => s.name === 'ep');
const SIGNAL_TOKEN = TOKENS - 3; // a plan-step row
const SIGNAL_COLUMN = 7;

/**
 * Pairs of noise features with two planted signals: DAC passes when one feature of a plan row is positive (a 70/30
 * split, so the majority baseline is 0.7), and EP rises with a second feature. Only DAC and EP are valid.
 */
function planted(pairs: number, seed: number): PairSet {
  const rng = new Rng(seed);
  const H = HEAD_SLOTS.length;
  // noise everywhere but the family flags, which are set as features.ts sets them
  const tokens = Float32Array.from({ length: pairs * TOKENS * FEATURES }, (_, k) =>
    k % FEATURES < FAMILIES ? 0 : rng.normal(0, 0.3),
  );
  for (let i = 0; i < pairs * TOKENS; i++) tokens[i * FEATURES + familyOf(i % TOKENS)] = 1;
  const targets = new Float32Array(pairs * OUTPUT_WIDTH);
  const mask = new Float32Array(pairs * H);
  const truth = new Float32Array(pairs * H).fill(1);
  const epdms = new Float32Array(pairs);
  for (let i = 0; i < pairs; i++) {
    const at = (i * TOKENS + SIGNAL_TOKEN) * FEATURES;
    const pass = rng.chance(0.7) ? 1 : 0;
    tokens[at + SIGNAL_COLUMN] = pass ? 1 : -1;
    const ep = rng.next();
    tokens[at + SIGNAL_COLUMN + 1] = 2 * ep - 1;
    targets[i * OUTPUT_WIDTH + HEAD_SLOTS[DAC]!.offset] = pass;
    targets[i * OUTPUT_WIDTH + HEAD_SLOTS[EP]!.offset] = ep;
    mask[i * H + DAC] = 1;
    mask[i * H + EP] = 1;
    truth[i * H + DAC] = pass;
    truth[i * H + EP] = ep;
    epdms[i] = pass * ep;
  }
  const scene = Int32Array.from({ length: pairs }, (_, i) => Math.floor(i / 8));
  const kind = new Int32Array(pairs);
  return { pairs, scenes: pairs / 8, tokens, targets, mask, truth, epdms, scene, kind };
}

describe('reward network', () => {
  it('learns planted signals: DAC accuracy well above the majority baseline, EP ranked, picks beat random', async () => {
    const train = planted(512, 1);
    const held = planted(128, 2);
    const fitted = await fitRewardNetwork(train, SIZE, { steps: 150, lr: 0.01, batch: 32 }, SCHEDULE, 0, {
      quiet: true,
    });
    expect(fitted.losses[fitted.losses.length - 1]!).toBeLessThan(fitted.losses[0]! / 4);
    const net = new RewardNetwork(SIZE, fitted.params);
    try {
      const untrained = new Set(HEAD_SLOTS.filter((_, h) => h !== DAC && h !== EP).map((s) => s.name));
      const a = headAgreement(held, await net.outputs(held.tokens), untrained);
      const dac = a.heads[DAC]!;
      expect(dac.valid).toBe(128);
      expect(dac.majority!).toBeGreaterThan(0.6);
      expect(dac.accuracy!).toBeGreaterThan(0.95);
      expect(a.heads[EP]!.spearman!).toBeGreaterThan(0.6);
      expect(a.heads.find((h) => h.name === 'nc')!.valid).toBe(0);
      expect(a.epdmsSpearman!).toBeGreaterThan(0.8);
      expect(a.regret.model).toBeLessThan(a.regret.random / 3);
    } finally {
      await net.dispose();
    }
  }, 120_000);

  it('an untrained network agrees no better than chance with the same signal', async () => {
    const held = planted(128, 2);
    const fitted = await fitRewardNetwork(held, SIZE, { steps: 1, lr: 1e-6, batch: 8 }, SCHEDULE, 0, {
      quiet: true,
    });
    const net = new RewardNetwork(SIZE, fitted.params);
    try {
      const a = headAgreement(held, await net.outputs(held.tokens), new Set());
      expect(a.heads[DAC]!.accuracy!).toBeLessThan(0.8);
      expect(Math.abs(a.heads[EP]!.spearman!)).toBeLessThan(0.5);
    } finally {
      await net.dispose();
    }
  }, 60_000);

  it('trains to the same bytes for a seed, other bytes for another seed', async () => {
    const set = planted(64, 3);
    const train = (seed: number) =>
      fitRewardNetwork(set, SIZE, { steps: 5, lr: 0.01, batch: 8 }, SCHEDULE, seed, { quiet: true });
    const [a, b, c] = [await train(4), await train(4), await train(5)];
    const bytes = (f: typeof a) => Buffer.concat([...f.params.values()].map((p) => Buffer.from(p.buffer)));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(a.losses).toEqual(b.losses);
  }, 60_000);

  it('scores a batch longer than one inference run the same as pair by pair', async () => {
    const set = planted(40, 6);
    const fitted = await fitRewardNetwork(set, SIZE, { steps: 3, lr: 0.01, batch: 8 }, SCHEDULE, 0, {
      quiet: true,
    });
    const net = new RewardNetwork(SIZE, fitted.params);
    try {
      const all = await net.outputs(set.tokens);
      const size = TOKENS * FEATURES;
      const last = await net.outputs(set.tokens.subarray(39 * size, 40 * size));
      expect(all.length).toBe(40 * OUTPUT_WIDTH);
      expect(Array.from(last)).toEqual(Array.from(all.subarray(39 * OUTPUT_WIDTH)));
    } finally {
      await net.dispose();
    }
  }, 60_000);
});
