import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Graph } from '../../engine/graph.js';
import { DEFAULT_ADAMW } from '../../engine/optim.js';
import { initParams, type TrainState } from '../../engine/trainer.js';
import { fitActionBins } from '../../labels/action-bins.js';
import { vlaPreset } from '../../model/config.js';
import { trainTokenizer } from '../../model/tokenizer.js';
import { declareVla } from '../../model/vla.js';
import { planScene } from '../../sim/plan-scorer/index.js';
import { createScenario } from '../../sim/scenarios/index.js';
import { loadRecipe } from '../recipe.js';
import { type GrpoOptions, trainGrpo } from './grpo.js';

const CFG = vlaPreset('tiny-student');
const rl = loadRecipe('tiny').rl;
const tok = trainTokenizer(['Keep your lane and follow the road.'], {
  vocabSize: 300,
  longitudinalBins: 8,
  lateralBins: 4,
});
const rng = new Rng(1);
const bins = fitActionBins(
  Float64Array.from({ length: 400 }, () => rng.normal() * 1.5),
  Float64Array.from({ length: 400 }, () => rng.normal() * 0.01),
  { longitudinalBins: 8, lateralBins: 4 },
);
const frame = {
  camera: new Uint8Array(CFG.camera.width * CFG.camera.height * 3).fill(90),
  bev: new Uint8Array(CFG.bev.channels * CFG.bev.size * CFG.bev.size),
  ego: { speed: 20 },
};
const scenes = ['highway-cruise', 'lead-brake'].map((family) => {
  const scenario = createScenario(family as 'highway-cruise', 0);
  return {
    frame,
    instruction: 'Keep your lane.',
    scene: planScene(scenario, scenario.initial),
    expertBins: Array.from({ length: 16 }, (_, k) => (k % 2 === 0 ? 4 : 2)),
  };
});
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
