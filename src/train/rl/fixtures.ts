// Test fixtures of the RL tests: an untrained tiny model's config, a tokenizer and action bins of its own, a
// blank frame and plan scenes of real scenarios. Not a lake (the RL code is tested without one).

import { Rng } from '../../core/rng.js';
import { fitActionBins } from '../../labels/action-bins.js';
import { vlaPreset } from '../../model/config.js';
import { trainTokenizer } from '../../model/tokenizer.js';
import type { VlaFrame } from '../../model/vla.js';
import { planScene } from '../../sim/plan-scorer/index.js';
import { createScenario } from '../../sim/scenarios/index.js';
import type { ScenarioFamily } from '../../sim/types.js';
import type { RlScene } from './sampler.js';

export const CFG = vlaPreset('tiny-student');
const [LON, LAT] = [8, 4]; // action bins per axis
export const tok = trainTokenizer(['Keep your lane and follow the road.', 'Stop at the red light.'], {
  vocabSize: 300,
  longitudinalBins: LON,
  lateralBins: LAT,
});
const rng = new Rng(1);
export const bins = fitActionBins(
  Float64Array.from({ length: 400 }, () => rng.normal() * 1.5), // [m/s2]
  Float64Array.from({ length: 400 }, () => rng.normal() * 0.01), // [1/m]
  { longitudinalBins: LON, lateralBins: LAT },
);
export const frame: VlaFrame = {
  camera: new Uint8Array(CFG.camera.width * CFG.camera.height * 3).fill(90),
  bev: new Uint8Array(CFG.bev.channels * CFG.bev.size * CFG.bev.size),
  ego: { speed: 20 }, // [m/s]
};

/** A training scene at the start of `family`'s seed-0 scenario, the expert's bins a fixed mid-range plan. */
export function rlScene(family: ScenarioFamily): RlScene {
  const scenario = createScenario(family, 0);
  return {
    frame,
    instruction: 'Keep your lane.',
    scene: planScene(scenario, scenario.initial),
    expertBins: Array.from({ length: bins.steps * 2 }, (_, k) => (k % 2 === 0 ? LON / 2 : LAT / 2)),
  };
}
