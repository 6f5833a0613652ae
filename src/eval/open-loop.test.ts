import { describe, expect, it } from 'vitest';
import { binOf, fitActionBins } from '../labels/action-bins.js';
import { planBehaviour } from './open-loop.js';

// Bins spread over the whole range, so each wanted control has a bin close to it.
const bins = fitActionBins(
  Float64Array.from({ length: 200 }, (_, i) => -6 + (9 * i) / 199), // [m/s2]
  Float64Array.from({ length: 200 }, (_, i) => -0.1 + (0.2 * i) / 199), // [1/m]
  { longitudinalBins: 32, lateralBins: 32 },
);

/** A plan of 8 steps of (accel [m/s2], curvature [1/m]) as bins. */
function plan(steps: readonly (readonly [number, number])[]): Int32Array {
  return Int32Array.from(
    steps.flatMap(([a, k]) => [binOf(bins.longitudinal.edges, a), binOf(bins.lateral.edges, k)]),
  );
}
const repeat = (step: readonly [number, number]) => Array.from({ length: 8 }, () => step);

describe('planBehaviour', () => {
  it('reads the behaviour a plan shows as the lake reads the expert', () => {
    expect(planBehaviour(bins, 10, plan(repeat([0, 0])))).toBe('keep-speed');
    expect(planBehaviour(bins, 10, plan(repeat([-1.5, 0])))).toBe('brake-gently'); // -6 m/s in 4 s, gently
    expect(planBehaviour(bins, 15, plan(repeat([-4.5, 0])))).toBe('keep-lane'); // a hard stop is not gentle
    const weave = [0.04, 0.04, -0.04, -0.04, 0, 0, 0, 0].map((k) => [0, k] as const);
    expect(planBehaviour(bins, 10, plan(weave))).toBe('change-left');
    expect(planBehaviour(bins, 10, plan(weave.map(([a, k]) => [a, -k] as const)))).toBe('change-right');
  });
});
