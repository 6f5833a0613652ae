import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../core/errors.js';
import { DEFAULT_CAUTION, DEFAULT_CONTROL } from '../policy/model-driver.js';
import { loadRecipe, recipeNames } from './recipe.js';
import { PIPELINE_STAGES, STAGES } from './stages/index.js';

const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recipes', () => {
  it('has a preset per configs/*.json, each parsing, with a block for every registered stage', () => {
    expect(recipeNames()).toEqual(['base', 'small', 'tiny']);
    for (const name of recipeNames()) expect(Object.keys(loadRecipe(name).stages)).toEqual([...STAGES]);
  });

  it("keeps the small pipeline's values and the driver's control defaults", () => {
    const small = loadRecipe('small');
    expect(Object.values(small.stages).map((s) => s.steps)).toEqual([2000, 350, 1200, 500, 700, 700, 35]);
    expect(Object.values(small.stages).map((s) => [s.lr, s.maxFrames, s.batch])).toEqual([
      [2e-3, 6000, 8],
      [1e-3, 1500, 8],
      [1e-3, 20_000, 8],
      [1e-3, 20_000, 8],
      [5e-4, 20_000, 8],
      [1e-3, 20_000, 8],
      [3e-4, 1500, 4],
    ]);
    expect(small.compress.distil).toEqual({ temperature: 2, mix: 0.5 });
    expect([small.eval.openLoopFrames, small.eval.adherenceFrames, small.eval.episodes]).toEqual([
      24,
      96,
      null,
    ]);
    expect(small.onPolicy).toEqual({ after: ['cot-short'], episodesPerFamily: 12 });
    expect(small.eval.control).toEqual({ rule: DEFAULT_CONTROL, caution: DEFAULT_CAUTION });
    expect(loadRecipe('tiny').eval.episodes).toBe(3);
  });

  it('refuses an unknown preset in one line naming the known ones, also an inherited name', () => {
    for (const name of ['huge', 'constructor', 'toString']) {
      expect(() => loadRecipe(name)).toThrow(UsageError);
      expect(() => loadRecipe(name)).toThrow(`unknown recipe '${name}'; known: base, small, tiny`);
    }
  });

  it('reads a recipe file by path under the strict schema, naming the file and field', () => {
    const tiny = JSON.parse(readFileSync(join(import.meta.dirname, '../../configs/tiny.json'), 'utf8'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ ...tiny, models: { ...tiny.models, student: 'tiny-teacher' } }));
    expect(loadRecipe(file).models.student).toBe('tiny-teacher');
    writeFileSync(file, JSON.stringify({ ...tiny, stages: { ...tiny.stages, ppo: tiny.stages.align } }));
    expect(() => loadRecipe(file)).toThrow(InputError);
    expect(() => loadRecipe(file)).toThrow(/mine\.json: stages/);
    const { lr: _, ...noLr } = tiny.stages.align;
    writeFileSync(file, JSON.stringify({ ...tiny, stages: { ...tiny.stages, align: noLr } }));
    expect(() => loadRecipe(file)).toThrow(/stages\.align\.lr/);
    writeFileSync(file, JSON.stringify({ ...tiny, models: { ...tiny.models, teacher: 'constructor' } }));
    expect(() => loadRecipe(file)).toThrow(/models\.teacher: not a model preset/);
  });

  it('runStages: every preset trains the five stages; a bad list is refused in one line naming the field', () => {
    for (const name of recipeNames()) expect(loadRecipe(name).runStages).toEqual([...PIPELINE_STAGES]);
    const tiny = JSON.parse(readFileSync(join(import.meta.dirname, '../../configs/tiny.json'), 'utf8'));
    const file = join(dir, 'stages.json');
    const refused = (change: Record<string, unknown>, error: RegExp) => {
      writeFileSync(file, JSON.stringify({ ...tiny, ...change }));
      expect(() => loadRecipe(file)).toThrow(InputError);
      expect(() => loadRecipe(file)).toThrow(error);
    };
    refused(
      { runStages: ['align', 'cot-sft'] },
      /stages\.json: runStages\.0: align does not start a fresh model/,
    );
    refused(
      { runStages: ['pretrain', 'align', 'align', 'cot-short'] },
      /runStages\.2: align is listed twice/,
    );
    refused(
      { runStages: ['pretrain', 'align', 'cot-sft', 'instruct'] },
      /onPolicy\.after\.0: cot-short is not in runStages/,
    );
    refused(
      { runStages: ['pretrain', 'align', 'cot-short', 'instruct'] },
      /eval\.closedLoop\.0\.stage: cot-sft is not in runStages/,
    );
    refused({ runStages: ['pretrain', 'ppo'] }, /runStages\.1/);
    refused(
      { runStages: ['pretrain', 'align', 'cot-sft', 'cot-short', 'instruct', 'distil'] },
      /runStages\.5: distil needs a teacher model/,
    );
    writeFileSync(
      file,
      JSON.stringify({ ...tiny, runStages: ['pretrain', 'align', 'cot-sft', 'cot-short', 'instruct'] }),
    );
    expect(loadRecipe(file).runStages).toHaveLength(5);
  });
});
