import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../../data/deps.js';
import { generateLake } from '../../data/generate.js';
import { loadModelCheckpoint, WEIGHTS_FILE } from '../../model/checkpoint.js';
import { loadRecipe } from '../recipe.js';
import { runStage } from '../run-stage.js';
import { PIPELINE_STAGES, STAGES } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'vla-distil-'));
const lake = join(root, 'run');
const teacher = join(root, 'teacher');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipe = loadRecipe('tiny');
const common = { lake, recipe, batch: 4, seed: 5, maxFrames: 24, quiet: true } as const;
const withMix = (mix: number) => ({
  ...recipe,
  compress: { ...recipe.compress, distil: { ...recipe.compress.distil, mix } },
});

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
  const pre = join(root, 'pre');
  await runStage({ ...common, stage: 'pretrain', out: pre, preset: 'tiny-teacher', steps: 4 });
  await runStage({ ...common, stage: 'cot-short', from: pre, out: teacher, steps: 6, lr: 2e-3 });
});

describe('distil', () => {
  it('is a registered stage that drivefm run leaves out: it needs a teacher', async () => {
    expect(STAGES).toContain('distil');
    expect(PIPELINE_STAGES).not.toContain('distil');
    await expect(runStage({ ...common, stage: 'distil', out: join(root, 'x'), steps: 1 })).rejects.toThrow(
      'needs --teacher',
    );
    await expect(
      runStage({ ...common, stage: 'align', from: teacher, teacher, out: join(root, 'y'), steps: 1 }),
    ).rejects.toThrow('takes no --teacher');
  });

  it('a student distilled from a copy of itself starts at KL 0: only the (1 - mix) share of the CE is left', async () => {
    // the teacher as its own student: before the first step the KL term is exactly 0
    const base = { ...common, stage: 'distil', from: teacher, teacher, steps: 1 } as const;
    const gt = await runStage({ ...base, out: join(root, 'gt'), recipe: withMix(0) });
    const half = await runStage({ ...base, out: join(root, 'half'), recipe: withMix(0.5) });
    const kd = await runStage({ ...base, out: join(root, 'kd'), recipe: withMix(1) });
    expect(gt.lossBefore).toBeGreaterThan(0.5);
    expect(half.lossBefore).toBeCloseTo(gt.lossBefore / 2, 4);
    expect(kd.lossBefore).toBeCloseTo(0, 5);
  });

  it('a fresh student learns the teacher, with its tokenizer, deterministically; the teacher is not saved with it', async () => {
    const run = { ...common, stage: 'distil', teacher, steps: 8, lr: 3e-3, recipe: withMix(1) } as const;
    const a = await runStage({ ...run, out: join(root, 'a') });
    await runStage({ ...run, out: join(root, 'b') });
    expect(a.lossAfter).toBeLessThan(a.lossBefore * 0.9); // the KL to the teacher falls
    const student = loadModelCheckpoint(join(root, 'a'));
    expect(student.preset).toBe('tiny-student');
    expect(student.tokenizer.toJSON()).toEqual(loadModelCheckpoint(teacher).tokenizer.toJSON());
    expect([...student.params.keys()].some((n) => n.startsWith('teacher/'))).toBe(false);
    const bytes = (d: string) => readFileSync(join(root, d, WEIGHTS_FILE)).toString('base64');
    expect(bytes('a')).toEqual(bytes('b'));
  });
});
