import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { readFrames } from '../data/frames.js';
import { generateLake } from '../data/generate.js';
import { LakeReader } from '../data/lake-reader.js';
import { binOf, fitActionBins } from '../labels/action-bins.js';
import { runStage } from '../train/run-stage.js';
import { evaluateOpenLoop, planBehaviour } from './open-loop.js';

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

describe('evaluateOpenLoop', () => {
  const root = mkdtempSync(join(tmpdir(), 'open-loop-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the light's state on every adherence frame with a light in view, the rest on the first frames", async () => {
    const lake = join(root, 'run');
    await generateLake({ preset: 'tiny', out: lake, seed: 1, quiet: true }, generateDeps()); // its test split has lights
    const model = join(root, 'model');
    const train = { lake, steps: 2, batch: 2, seed: 1, maxFrames: 8, quiet: true } as const;
    await runStage({ ...train, stage: 'pretrain', out: model, preset: 'tiny-student' });
    const [frames, adherenceFrames, seed, split] = [1, 4, 5, 'test'] as const; // the tiny test split: 3 of 4 lit
    const reader = await LakeReader.open(lake);
    const records = await readFrames(reader, { maxFrames: adherenceFrames, seed, split }).finally(() =>
      reader.close(),
    );
    const lit = records.map((r) => r.qa.some((q) => q.key === 'light_state' && q.answer !== 'none'));
    const result = await evaluateOpenLoop(model, lake, { frames, adherenceFrames, seed, split });
    expect(result.frames).toBe(frames);
    expect(result.lightState.n).toBe(lit.filter(Boolean).length);
    expect(result.lightState.n).toBeGreaterThan(lit.slice(0, frames).filter(Boolean).length);
    expect(result.adherence).not.toEqual({});
  }, 120_000);
});
