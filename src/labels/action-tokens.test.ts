import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { fitActionBins, PLAN_STEP_SECONDS, PLAN_STEPS } from './action-bins.js';
import {
  decodeActionTokens,
  encodeActionTokens,
  rollPlanStep,
  stepControls,
  tokenControls,
} from './action-tokens.js';
import { unicycle } from './fixtures.js';
import type { Pose } from './frame.js';

const LAT_ACCEL_MAX = 3; // [m/s2] drives stay as comfortable as the expert

/** Smooth random drives: per 0.1 s controls that wander, sampled every 0.5 s. */
function drives(count: number, seed: number): { initial: Pose; targets: Pose[] }[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    let pose: Pose = {
      x: rng.uniform(-50, 50),
      y: rng.uniform(-50, 50),
      heading: rng.uniform(-3, 3),
      speed: rng.uniform(0, 20),
    };
    const initial = pose;
    let accel = rng.normal(0, 1);
    let curvature = rng.normal(0, 0.02);
    const targets: Pose[] = [];
    for (let k = 0; k < PLAN_STEPS; k++) {
      for (let i = 0; i < 5; i++) {
        accel = Math.max(-6, Math.min(3, accel + rng.normal(0, 0.3)));
        const limit = Math.min(0.2, LAT_ACCEL_MAX / Math.max(1, pose.speed) ** 2); // [1/m]
        curvature = Math.max(-limit, Math.min(limit, curvature + rng.normal(0, 0.004)));
        pose = unicycle.forward(pose, accel, curvature, 0.1);
      }
      targets.push(pose);
    }
    return { initial, targets };
  });
}

function fitTo(samples: { initial: Pose; targets: Pose[] }[]) {
  const controls = samples.map((d) => stepControls(unicycle, d.initial, d.targets, PLAN_STEP_SECONDS));
  const accels = Float64Array.from(controls.flatMap((c) => Array.from(c.filter((_, i) => i % 2 === 0))));
  const curvatures = Float64Array.from(controls.flatMap((c) => Array.from(c.filter((_, i) => i % 2 === 1))));
  return fitActionBins(accels, curvatures, { longitudinalBins: 32, lateralBins: 32 });
}

function roundTripErrors(samples: { initial: Pose; targets: Pose[] }[], closedLoop: boolean) {
  const bins = fitTo(drives(200, 1));
  const errors: number[] = [];
  for (const { initial, targets } of samples) {
    const tokens = closedLoop
      ? encodeActionTokens(unicycle, bins, initial, targets)
      : openLoopTokens(bins, initial, targets);
    expect(tokens.length).toBe(2 * PLAN_STEPS);
    const decoded = decodeActionTokens(unicycle, bins, initial, tokens);
    for (const [k, p] of decoded.entries()) errors.push(Math.hypot(p.x - targets[k]!.x, p.y - targets[k]!.y));
  }
  return { mean: errors.reduce((a, b) => a + b, 0) / errors.length, max: Math.max(...errors) };
}

/** Nearest-centre quantisation of the open-loop controls: the baseline closed-loop encoding must beat. */
function openLoopTokens(bins: ReturnType<typeof fitTo>, initial: Pose, targets: Pose[]): Int32Array {
  const controls = stepControls(unicycle, initial, targets, PLAN_STEP_SECONDS);
  const nearest = (centres: Float64Array, v: number) =>
    centres.reduce((best, c, i) => (Math.abs(c - v) < Math.abs(centres[best]! - v) ? i : best), 0);
  return Int32Array.from(controls, (v, i) =>
    nearest(i % 2 === 0 ? bins.longitudinal.centres : bins.lateral.centres, v),
  );
}

describe('action tokens', () => {
  it('round-trips held-out drives to within 0.3 m on average over 4 s, better closed than open loop', () => {
    const held = drives(100, 2);
    const closed = roundTripErrors(held, true);
    const open = roundTripErrors(held, false);
    expect(closed.mean).toBeLessThan(0.3);
    expect(closed.max).toBeLessThan(1);
    expect(closed.mean).toBeLessThan(open.mean);
  });

  it('decodes bins to their centres, integrated in 0.1 s world steps', () => {
    const bins = fitTo(drives(50, 3));
    const tokens = Int32Array.from({ length: 2 * PLAN_STEPS }, (_, i) => (i % 2 === 0 ? 20 : 16));
    const controls = tokenControls(bins, tokens);
    expect(controls[0]).toBe(bins.longitudinal.centres[20]);
    expect(controls[1]).toBe(bins.lateral.centres[16]);
    const start: Pose = { x: 0, y: 0, heading: 0, speed: 10 };
    const [first] = decodeActionTokens(unicycle, bins, start, tokens);
    expect(first).toEqual(rollPlanStep(unicycle, start, controls[0]!, controls[1]!, PLAN_STEP_SECONDS));
    expect(() => tokenControls(bins, Int32Array.of(0, 99))).toThrow(/outside the action vocabulary/);
  });
});
