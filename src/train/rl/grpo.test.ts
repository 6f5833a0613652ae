import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.js';
import { DEFAULT_ADAMW } from '../../engine/optim.js';
import { initParams, type TrainState } from '../../engine/trainer.js';
import { declareVla } from '../../model/vla.js';
import { loadRecipe } from '../recipe.js';
import { bins, CFG, rlScene, tok } from './fixtures.js';
import { type GrpoOptions, trainGrpo } from './grpo.js';

const rl = loadRecipe('tiny').rl;
const scenes = [rlScene('highway-cruise'), rlScene('lead-brake')];
const g = new Graph();
declareVla(g, CFG, tok.vocabSize);
const base: GrpoOptions = {
  config: CFG,
  tok,
  bins,
  init: initParams(g.params, 2),
  scenes,
  weights: [1, 3],
  steps: 3,
  scenesPerStep: 2,
  seed: 4,
  optim: { ...DEFAULT_ADAMW, lr: 1e-3, minLr: 1e-4, warmupSteps: 1, totalSteps: 3 },
  grpo: rl.grpo,
  reward: rl.reward,
  quiet: true,
  threads: 1,
};

describe('trainGrpo', () => {
  it('is deterministic for a seed, moves the policy off the reference, and resumes to the same bytes', async () => {
    let atTwo: TrainState | null = null;
    const a = await trainGrpo({
      ...base,
      onStep: (state, curve) => {
        if (curve.length === 2) atTwo = state();
      },
    });
    expect(a.curve).toHaveLength(3);
    expect(a.curve[0]!.kl).toBeCloseTo(0, 5); // the first step samples from the reference itself
    expect(a.curve[2]!.kl).not.toBeCloseTo(0, 6);
    expect(new Set(a.curve.map((p) => p.reward)).size).toBeGreaterThan(1); // each step samples anew
    const resumed = await trainGrpo({ ...base, resume: { state: atTwo!, curve: a.curve.slice(0, 2) } });
    expect(resumed.curve).toEqual(a.curve);
    for (const [name, p] of a.params) expect(resumed.params.get(name)).toEqual(p);
  });
});
