import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSyncEngines } from '../engine/sync-engine.js';
import { saveUntrainedCheckpoint, untrainedTinyModel } from '../model/fixtures.js';
import { createScenario } from '../sim/scenarios/index.js';
import { cloneState } from '../sim/state.js';
import type { Driver } from '../sim/types.js';
import { World } from '../sim/world.js';
import { cautionAt, FULL_CAUTION_SPEED, loadModelDriver, lowerMean, quantileCentre } from './model-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'vla-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BINS = 8;
const { bins } = untrainedTinyModel({ seed: 7, binsPerAxis: BINS });
saveUntrainedCheckpoint(dir, { seed: 7, binsPerAxis: BINS });

describe('lowerMean', () => {
  const centres = Float64Array.of(-2, 0, 1);
  it('weighs the bin centres of an axis by the softmax of its token logits', () => {
    const logits = Float32Array.of(9, 0, 0, 0, 9); // ids 1..3 are the axis's tokens
    expect(lowerMean(logits, [1, 4], centres)).toBeCloseTo(-1 / 3, 6); // uniform: the plain mean
    logits[1] = Math.log(2); // weights 2, 1, 1
    expect(lowerMean(logits, [1, 4], centres)).toBeCloseTo((-4 + 0 + 1) / 4, 6);
    logits[3] = 50; // one token certain: its centre
    expect(lowerMean(logits, [1, 4], centres)).toBeCloseTo(1, 6);
  });

  it('averages only the lowest share of the mass: the expected shortfall', () => {
    const logits = Float32Array.of(9, 0, 0, 0, 9); // probabilities 1/3 each
    expect(lowerMean(logits, [1, 4], centres, 1 / 3)).toBeCloseTo(-2, 6);
    expect(lowerMean(logits, [1, 4], centres, 0.5)).toBeCloseTo(((1 / 3) * -2 + (1 / 6) * 0) / 0.5, 6);
    // a 30% chance of braking hard pulls the half-share mean far below the full mean
    const twoHumps = Float32Array.of(0, Math.log(0.3), -50, Math.log(0.7), 0);
    expect(lowerMean(twoHumps, [1, 4], centres)).toBeCloseTo(0.3 * -2 + 0.7 * 1, 4);
    expect(lowerMean(twoHumps, [1, 4], centres, 0.5)).toBeCloseTo((0.3 * -2 + 0.2 * 1) / 0.5, 4);
  });
});

describe('quantileCentre', () => {
  const centres = Float64Array.of(-2, 0, 1);
  it('picks the bin where the cumulative belief reaches the quantile, not a blend of the humps', () => {
    const twoHumps = Float32Array.of(0, Math.log(0.3), -50, Math.log(0.7), 0); // 30% at -2, 70% at 1
    expect(quantileCentre(twoHumps, [1, 4], centres, 0.5)).toBe(1);
    expect(quantileCentre(twoHumps, [1, 4], centres, 0.29)).toBe(-2);
    expect(quantileCentre(twoHumps, [1, 4], centres, 0.31)).toBe(1);
    expect(quantileCentre(twoHumps, [1, 4], centres, 1)).toBe(1);
  });
});

describe('cautionAt', () => {
  it('averages the whole belief at standstill and the caution share from FULL_CAUTION_SPEED on', () => {
    expect(cautionAt(0, 0.5)).toBe(1);
    expect(cautionAt(-0.1, 0.5)).toBe(1); // a hair of reversing counts as standstill
    expect(cautionAt(FULL_CAUTION_SPEED / 2, 0.5)).toBeCloseTo(0.75, 9);
    expect(cautionAt(FULL_CAUTION_SPEED, 0.5)).toBeCloseTo(0.5, 9);
    expect(cautionAt(3 * FULL_CAUTION_SPEED, 0.5)).toBeCloseTo(0.5, 9);
    expect(cautionAt(FULL_CAUTION_SPEED, 1)).toBe(1); // caution 1: the whole belief, the expectation
  });
});

describe('model driver', () => {
  it('drives 3 s of a scenario, replanning every 0.5 s, with controls from the bins and an 8-point plan', async () => {
    const scenario = { ...createScenario('nominal-urban', 1), horizon: 30 };
    const runs = [];
    for (const mode of ['fast', 'think', 'fast'] as const) {
      const driver = loadModelDriver(dir, { mode, seed: 2, maxCot: 6, control: 'mode' });
      const plans: Float32Array[] = [];
      const actions: number[] = [];
      const world = new World(scenario);
      let state = cloneState(scenario.initial);
      let next = cloneState(scenario.initial);
      driver.reset(scenario);
      for (let t = 0; t < scenario.horizon; t++) {
        const out = driver.act(scenario, state);
        if (out.plan) plans.push(out.plan);
        actions.push(out.action.accel, out.action.curvature);
        world.stepInto(state, out.action, next);
        [state, next] = [next, state];
      }
      expect(state.step).toBe(30);
      expect(driver.replans.map((r) => r.step)).toEqual([0, 5, 10, 15, 20, 25]);
      expect(plans).toHaveLength(6);
      // An untrained model is unsure: each token's entropy lies between certainty and the uniform belief.
      for (const r of driver.replans)
        expect(r.entropy > 0.1 && r.entropy <= Math.log(BINS) + 1e-9).toBe(true);
      for (const p of plans) expect(p.length === 16 && p.every(Number.isFinite)).toBe(true);
      for (let k = 0; k < actions.length; k += 2) {
        expect(bins.longitudinal.centres).toContain(actions[k]);
        expect(bins.lateral.centres).toContain(actions[k + 1]);
      }
      runs.push(driver.replans.map((r) => Array.from(r.bins).join()).join('|'));
      await driver.dispose();
    }
    expect(runs[2]).toBe(runs[0]); // greedy decoding: the same plans on the same episode
  });

  it('holds the expected controls by default: between the extreme bins, rarely a centre', async () => {
    const scenario = { ...createScenario('nominal-urban', 1), horizon: 10 };
    const driver = loadModelDriver(dir, { mode: 'fast' });
    driver.reset(scenario);
    const { action } = driver.act(scenario, cloneState(scenario.initial));
    await driver.dispose();
    const lon = bins.longitudinal.centres;
    expect(action.accel).toBeGreaterThan(lon[0]!);
    expect(action.accel).toBeLessThan(lon[lon.length - 1]!);
    expect(lon).not.toContain(action.accel);
  });

  it('dispose ends every worker thread it holds (the step and each prefill session); acting after it fails', async () => {
    const scenario = { ...createScenario('nominal-urban', 1), horizon: 10 };
    const before = liveSyncEngines();
    const driver: Driver = loadModelDriver(dir, { mode: 'fast' });
    driver.reset(scenario);
    driver.act(scenario, cloneState(scenario.initial));
    expect(liveSyncEngines()).toBe(before + 2); // the one-token step and one prefill length
    await driver.dispose?.();
    expect(liveSyncEngines()).toBe(before);
    expect(() => driver.act(scenario, cloneState(scenario.initial))).toThrow('run after dispose()');
  });
});
