import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { generateLake } from '../data/generate.js';
import { loadModelCheckpoint } from '../model/checkpoint.js';
import { loadRecipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import { pruneCheckpoint } from './prune-checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'vla-prune-'));
const lake = join(root, 'run');
const teacher = join(root, 'teacher');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const recipe = loadRecipe('tiny');

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
  const common = { lake, recipe, batch: 4, seed: 2, maxFrames: 24, quiet: true } as const;
  await runStage({ ...common, stage: 'pretrain', out: join(root, 'pre'), preset: 'tiny-teacher', steps: 4 });
  await runStage({ ...common, stage: 'cot-short', from: join(root, 'pre'), out: teacher, steps: 4 });
});

describe('pruneCheckpoint', () => {
  it('saves a smaller dense checkpoint scored on the lake, which the distil stage then recovers', async () => {
    const out = join(root, 'pruned');
    const summary = await pruneCheckpoint({ checkpoint: teacher, lake, out, recipe, seed: 2 });
    const pruned = loadModelCheckpoint(out);
    expect([pruned.config.kvHeads, pruned.config.heads, pruned.config.ffnHidden]).toEqual([2, 2, 64]);
    expect(pruned.config.headDim).toBe(16);
    expect(pruned.preset).toBe('tiny-teacher+pruned');
    expect(summary.paramsAfter).toBeLessThan(summary.paramsBefore);
    const recovered = await runStage({
      stage: 'distil',
      lake,
      recipe,
      from: out,
      teacher,
      out: join(root, 'recovered'),
      steps: recipe.compress.prune.recoverySteps,
      batch: 4,
      maxFrames: 24,
      seed: 2,
      quiet: true,
    });
    expect(recovered.lossAfter).toBeLessThan(recovered.lossBefore);
  });
});
