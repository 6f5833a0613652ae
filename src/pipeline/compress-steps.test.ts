import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { generateLake } from '../data/generate.js';
import type { Suite } from '../sim/suites.js';
import { loadRecipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import { COMPRESS_MARKDOWN, COMPRESS_REPORT, type CompressRow, compressSteps } from './compress-steps.js';
import { runSteps } from './runner.js';

const root = mkdtempSync(join(tmpdir(), 'vla-compress-'));
const lake = join(root, 'run');
const teacher = join(root, 'teacher');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const recipe = loadRecipe('tiny');

const scratch = join(root, 'scratch');
const suite: Suite = {
  name: 'tiny-two',
  version: 1,
  description: 'two episodes: enough for every column, not for a comparison',
  episodes: [
    { family: 'nominal-urban', seed: 0 },
    { family: 'nominal-urban', seed: 1 },
  ],
};

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
  const common = { lake, recipe, batch: 4, seed: 1, maxFrames: 24, quiet: true } as const;
  await runStage({ ...common, stage: 'pretrain', out: join(root, 'pre'), preset: 'tiny-teacher', steps: 3 });
  await runStage({ ...common, stage: 'cot-short', from: join(root, 'pre'), out: teacher, steps: 3 });
  await runStage({ ...common, stage: 'pretrain', out: scratch, preset: 'tiny-student', steps: 3 });
});

class Killed extends Error {}

describe('drivefm compress steps', () => {
  it('distils, prunes, quantises, exports, times and drives every model; killed, a rerun resumes; then skips', async () => {
    const out = join(root, 'compress');
    const settings = { teacher, lake, out, scratch, suites: [suite], workers: 1, seed: 1, quiet: true };
    const lines: string[] = [];
    const run = (killAt?: string) =>
      runSteps(out, compressSteps(recipe, settings), {
        command: 'test',
        settings: { seed: 1 },
        say: (l) => {
          lines.push(l);
          if (killAt && l.includes(killAt)) throw new Killed(l); // stops the run before that step starts
        },
      });
    await expect(run('eval distilled')).rejects.toThrow(Killed);
    lines.length = 0;
    await run();
    const done = lines.filter((l) => l.startsWith('skip')).map((l) => l.split(' ')[2]);
    expect(done).toEqual([
      'distil:',
      'prune:',
      'recover:',
      'quantise:',
      'export:',
      'latency:',
      'eval',
      'eval',
      'eval',
    ]);
    expect(lines.some((l) => l.startsWith('step') && l.includes('eval distilled'))).toBe(true);
    const { rows } = JSON.parse(readFileSync(join(out, COMPRESS_REPORT), 'utf8')) as { rows: CompressRow[] };
    expect(rows.map((r) => r.model)).toEqual([
      'teacher (think)',
      'teacher (fast)',
      'student from scratch',
      'distilled',
      'pruned',
      'int8 vehicle',
    ]);
    const by = (name: string) => rows.find((r) => r.model === name)!;
    expect(by('distilled').params).toBeLessThan(by('teacher (fast)').params);
    expect(by('pruned').params).toBeLessThan(by('distilled').params);
    expect(by('int8 vehicle').params).toBe(by('pruned').params);
    // int8 .onnx against fp32 safetensors (on tiny the file's fp32 rotary tables and empty cache weigh much)
    expect(by('int8 vehicle').bytes).toBeLessThan(by('pruned').bytes * 0.75);
    for (const r of rows) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.suites.map((x) => [x.suite, x.episodes])).toEqual([['tiny-two', 2]]);
      const [x] = r.suites;
      expect(x!.lo).toBeLessThanOrEqual(x!.epdms);
      expect(x!.hi).toBeGreaterThanOrEqual(x!.epdms);
      // the runtime counts the vehicle file's fallbacks; checkpoints drive without one
      if (r.model === 'int8 vehicle') expect(x!.fallbacks).toBeTypeOf('number');
      else expect(x!.fallbacks).toBeNull();
    }
    // thinking decodes a trace before the plan: slower than the same teacher in fast mode
    expect(by('teacher (think)').p50Ms).toBeGreaterThan(by('teacher (fast)').p50Ms);
    const md = readFileSync(join(out, COMPRESS_MARKDOWN), 'utf8');
    expect(md).toContain('| int8 vehicle |');
    expect(md).toContain('EPDMS tiny-two (95% CI)');
    lines.length = 0;
    await run();
    expect(lines.filter((l) => l.startsWith('skip'))).toHaveLength(13);
  }, 600_000);
});
