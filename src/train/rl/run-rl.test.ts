import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../../data/deps.js';
import { generateLake } from '../../data/generate.js';
import { rlReportText, rlRows } from '../../eval/rl-report.js';
import { loadModelCheckpoint } from '../../model/checkpoint.js';
import { LoopStopped } from '../loop.js';
import { loadRecipe } from '../recipe.js';
import { runStage } from '../run-stage.js';

const root = mkdtempSync(join(tmpdir(), 'vla-rl-'));
const lake = join(root, 'run');
const start = join(root, 'start');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipe = loadRecipe('tiny');
const common = { lake, recipe, seed: 2, quiet: true } as const;

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
  await runStage({
    ...common,
    stage: 'pretrain',
    out: start,
    preset: 'tiny-teacher',
    steps: 1,
    maxFrames: 8,
  });
});

const bytesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
  );

describe('drivefm train --stage rl', () => {
  it('trains from a checkpoint on the lake, records its curve, and a killed run resumes to the same bytes', async () => {
    const whole = join(root, 'rl');
    const record = await runStage({ ...common, stage: 'rl', from: start, out: whole });
    const steps = recipe.stages.rl.steps;
    expect(record.steps).toBe(steps);
    const ckpt = loadModelCheckpoint(whole);
    expect(ckpt.stages.map((s) => s.stage)).toEqual(['pretrain', 'rl']);
    expect(ckpt.stages[1]!.curve).toHaveLength(steps);
    const before = loadModelCheckpoint(start).params;
    expect([...ckpt.params].some(([n, p]) => p.some((v, i) => v !== before.get(n)![i]))).toBe(true);

    const killed = join(root, 'killed');
    await expect(
      runStage({ ...common, stage: 'rl', from: start, out: killed, stopAfter: 2 }),
    ).rejects.toThrow(LoopStopped);
    const resumed = await runStage({ ...common, stage: 'rl', from: start, out: killed });
    expect(resumed.resumedAt).toBe(2);
    expect(bytesOf(killed)).toEqual(bytesOf(whole));

    // the report's RL table reads the curve back from a run folder's models/
    const run = join(root, 'report-run');
    cpSync(whole, join(run, 'models', 'teacher', 'rl'), { recursive: true });
    cpSync(start, join(run, 'models', 'teacher', 'pretrain'), { recursive: true });
    const closed = [
      {
        model: 'teacher',
        stage: 'rl',
        mode: 'fast',
        suite: 'wide',
        episodes: 3,
        epdms: 0.5,
        pdms: 0.6,
        atFaultCollisions: 1,
      },
    ];
    const rows = rlRows(run, closed);
    expect(rows.map((r) => [r.model, r.stage, r.steps])).toEqual([['teacher', 'rl', steps]]);
    const curve = ckpt.stages[1]!.curve!;
    expect(rows[0]!.reward).toEqual([curve[0]!.reward, curve.at(-1)!.reward]); // a tenth of 3 steps is one
    expect(rlReportText(rows)).toContain('wide fast 0.500');
    expect(rlReportText([])).toBe('');
  });

  it('needs --from a checkpoint and takes no --teacher', async () => {
    await expect(runStage({ ...common, stage: 'rl', out: join(root, 'none') })).rejects.toThrow(
      /needs --from/,
    );
    await expect(
      runStage({ ...common, stage: 'rl', from: start, teacher: start, out: join(root, 'taught') }),
    ).rejects.toThrow(/no --teacher/);
  });
});
