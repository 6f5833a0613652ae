import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { fitActionBins } from '../labels/action-bins.js';
import { planScene, scorePlans } from '../sim/plan-scorer/index.js';
import { createScenario } from '../sim/scenarios/index.js';
import { PLAN_HORIZON } from '../sim/types.js';
import { candidatePlans } from './candidates.js';
import { FAMILIES, FEATURES, familyOf, planTokens, TOKENS } from './features.js';
import { encodeTargets, HEAD_SLOTS, LEVELS, OUTPUT_WIDTH, readHead, trueLabel } from './heads.js';

const scenario = createScenario('highway-cruise', 0);
const scene = planScene(scenario, scenario.initial);
const swerve = Float64Array.from({ length: PLAN_HORIZON * 2 }, (_, k) => (k % 2 === 0 ? 0 : 0.15)); // [1/m]
const DRIVABLE = FAMILIES + 9; // the plan rows' drivable-area column
const rng = new Rng(3);
const bins = fitActionBins(
  Float64Array.from({ length: 300 }, () => rng.normal() * 1.5), // [m/s2]
  Float64Array.from({ length: 300 }, () => rng.normal() * 0.02), // [1/m]
  { longitudinalBins: 8, lateralBins: 4 },
);

describe('reward-model features', () => {
  const tokens = planTokens(scene, [scene.expertPlan, swerve]);
  const size = TOKENS * FEATURES;
  const row = (plan: number, t: number) =>
    tokens.subarray(plan * size + t * FEATURES, plan * size + (t + 1) * FEATURES);

  it('gives every row exactly its family flag, the same scene rows for any plan, plan rows of their own', () => {
    expect(tokens.length).toBe(2 * size);
    for (let t = 0; t < TOKENS; t++) {
      const flags = Array.from(row(0, t).subarray(0, FAMILIES));
      expect(flags).toEqual(flags.map((_, f) => (f === familyOf(t) ? 1 : 0)));
      const same = Array.from(row(0, t)).every((v, i) => v === row(1, t)[i]);
      expect(same).toBe(familyOf(t) !== 3);
    }
  });

  it('sees the expert stay on the road and a hard swerve leave it', () => {
    const plan = (p: number) =>
      Array.from({ length: TOKENS }, (_, t) => t)
        .filter((t) => familyOf(t) === 3)
        .map((t) => row(p, t)[DRIVABLE]);
    expect(plan(0)).toEqual(new Array(PLAN_HORIZON).fill(1));
    expect(plan(1)).toContain(0);
    const [expert, off] = scorePlans(scene, [scene.expertPlan, swerve]);
    expect(expert!.metrics.dac.value).toBe(1);
    expect(off!.metrics.dac.value).toBe(0);
  });
});

describe('reward-model targets and candidates', () => {
  it('encodes the scorer metrics into the output layout and reads a confident row back to them', () => {
    const [score] = scorePlans(scene, [swerve]);
    const target = new Float32Array(OUTPUT_WIDTH);
    const mask = new Float32Array(HEAD_SLOTS.length);
    encodeTargets(score!.metrics, target, mask);
    const confident = Float32Array.from(target, (v) => (v > 0.5 ? 8 : -8)); // logits that agree with the target
    HEAD_SLOTS.forEach((s, h) => {
      const m = score!.metrics[s.name];
      expect(mask[h]).toBe(m.valid ? 1 : 0);
      if (s.kind === 'regression') expect(target[s.offset]).toBeCloseTo(m.value, 6);
      else expect(readHead(s, confident).label).toBe(trueLabel(s, m.value));
    });
    const levels = HEAD_SLOTS.find((s) => s.kind === 'levels')!;
    const row = new Float32Array(OUTPUT_WIDTH); // equal logits: the expected level is the mean of LEVELS
    expect(readHead(levels, row).value).toBeCloseTo(
      LEVELS.reduce((a: number, b) => a + b, 0) / LEVELS.length,
      6,
    );
  });

  it('draws the expert first, then every kind, the same plans for the same stream', () => {
    const expertBins = new Array(PLAN_HORIZON * 2).fill(2);
    const a = candidatePlans(scene.expertPlan, expertBins, bins, 9, new Rng(1));
    const b = candidatePlans(scene.expertPlan, expertBins, bins, 9, new Rng(1));
    expect(a.map((c) => c.kind)).toEqual([
      'expert',
      'noisy',
      'noisy',
      'noisy',
      'resampled',
      'random',
      'noisy',
      'noisy',
      'noisy',
    ]);
    expect(Array.from(a[0]!.plan)).toEqual(Array.from(scene.expertPlan));
    expect(a.map((c) => Array.from(c.plan))).toEqual(b.map((c) => Array.from(c.plan)));
    const none = candidatePlans(scene.expertPlan, null, bins, 6, new Rng(1));
    expect(none.map((c) => c.kind)).not.toContain('resampled');
  });
});
