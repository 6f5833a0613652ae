import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { generateLake } from '../data/generate.js';
import { loadRecipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import { COMPRESS_MARKDOWN, COMPRESS_REPORT, type CompressRow, compressSteps } from './compress-steps.js';
import { runSteps } from './runner.js';

const root = mkdtempSync(join(tmpdir(), 'vla-compress-'));
const lake = join(root, 'run');
const teacher = join(root, 'teacher');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const recipe = loadRecipe('tiny');

beforeAll(async () => {
  await generateLake({ preset: 'tiny', out: lake, quiet: true }, generateDeps());
  const common = { lake, recipe, batch: 4, seed: 1, maxFrames: 24, quiet: true } as const;
  await runStage({ ...common, stage: 'pretrain', out: join(root, 'pre'), preset: 'tiny-teacher', steps: 3 });
  await runStage({ ...common, stage: 'cot-short', from: join(root, 'pre'), out: teacher, steps: 3 });
});

describe('drivefm compress steps', () => {
  it('distils, prunes, recovers and reports smaller models; a rerun skips every step', async () => {
    const out = join(root, 'compress');
    const settings = { teacher, lake, out, seed: 1, quiet: true };
    const lines: string[] = [];
    const run = () =>
      runSteps(out, compressSteps(recipe, settings), {
        command: 'test',
        settings: { seed: 1 },
        say: (l) => lines.push(l),
      });
    await run();
    const { rows } = JSON.parse(readFileSync(join(out, COMPRESS_REPORT), 'utf8')) as { rows: CompressRow[] };
    expect(rows.map((r) => r.model)).toEqual(['teacher', 'distilled', 'pruned']);
    expect(rows[1]!.params).toBeLessThan(rows[0]!.params);
    expect(rows[2]!.params).toBeLessThan(rows[1]!.params);
    expect(rows[2]!.bytes).toBeLessThan(rows[1]!.bytes);
    expect(readFileSync(join(out, COMPRESS_MARKDOWN), 'utf8')).toContain('| pruned |');
    lines.length = 0;
    await run();
    expect(lines.filter((l) => l.startsWith('skip'))).toHaveLength(4);
  });
});
