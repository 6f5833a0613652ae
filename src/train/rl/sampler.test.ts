import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Graph } from '../../engine/graph.js';
import { DEFAULT_ADAMW } from '../../engine/optim.js';
import { initParams, Trainer } from '../../engine/trainer.js';
import { declareVla, VlaModel } from '../../model/vla.js';
import { loadRecipe } from '../recipe.js';
import { bins, CFG, rlScene, tok } from './fixtures.js';
import { grpoLoss, REF_PREFIX } from './objective.js';
import { groupRows, grpoFeeds, sampleGroup } from './sampler.js';

const SEED = 5;
const rl = loadRecipe('tiny').rl;
const scene = rlScene('highway-cruise');
const options = { group: 4, temperature: 1, reward: rl.reward };

describe('sampleGroup', () => {
  it('samples G scored plans, the same for a seed, with the log-probs the training graph computes', async () => {
    const model = VlaModel.init(CFG, tok.vocabSize, SEED, 1);
    try {
      const a = await sampleGroup(model, tok, bins, scene, { ...options, rng: new Rng(7) });
      const b = await sampleGroup(model, tok, bins, scene, { ...options, rng: new Rng(7) });
      expect(b).toEqual(a);
      expect(a.actions).toHaveLength(4);
      expect(new Set(a.actions.map((x) => x.join())).size).toBeGreaterThan(1); // an untrained policy at T = 1
      for (const lp of a.logps) for (const v of lp) expect(v).toBeLessThan(0);
      const rows = groupRows(tok, scene, a);
      expect(rows.map((r) => r.imitation)).toEqual([false, false, false, false, true]);
      // with every advantage 1 and old log-probs the policy's own, the ratio is 1: the loss is -1
      const ones = rows.map((r) => ({ ...r, advantage: r.imitation ? 0 : 1 }));
      const text = 48;
      const g = new Graph();
      declareVla(g, CFG, tok.vocabSize);
      const ref = new Map([...initParams(g.params, SEED)].map(([n, p]) => [`${REF_PREFIX}${n}`, p]));
      const trainer = await Trainer.create({
        build: (gr) =>
          grpoLoss(gr, CFG, tok.vocabSize, rows.length, text, { clip: 0.2, kl: 0, imitation: 0 }),
        optim: DEFAULT_ADAMW,
        seed: SEED,
        threads: 1,
        frozen: ref,
      });
      expect(await trainer.evalLoss(grpoFeeds(CFG, ones, text))).toBeCloseTo(-1, 4);
      await trainer.dispose();
    } finally {
      await model.dispose();
    }
  });
});
