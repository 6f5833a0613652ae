import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { generateLake } from '../data/generate.js';
import { LAKE_DIR } from '../data/lake-paths.js';
import { METRIC_NAMES } from '../sim/metrics/index.js';
import { planScene } from '../sim/plan-scorer/index.js';
import { createScenario } from '../sim/scenarios/index.js';
import { loadRecipe } from '../train/recipe.js';
import { pairsFile } from './dataset.js';
import { impliedEpdms } from './heads.js';
import { scoreWithRewardModel } from './score.js';
import { AGREEMENT_MD, loadRewardModel, MODEL_FILE, trainRewardModel } from './train.js';

describe('reward model on a lake', () => {
  const root = mkdtempSync(join(tmpdir(), 'reward-model-'));
  const run = join(root, 'run');
  const out = join(root, 'rm');
  const { schedule, rewardModel } = loadRecipe('tiny');
  const settings = { ...rewardModel, frames: 6, evalFrames: 4, steps: 8 };
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    await generateLake({ preset: 'tiny', out: run, quiet: true }, generateDeps());
  }, 180_000);

  it('trains, reports every head on held-out scenes, and re-runs from its cache to the same bytes', async () => {
    const first = await trainRewardModel({ run, out, settings, schedule, seed: 0, quiet: true });
    const a = first.agreement;
    expect(a.heads.map((h) => h.name)).toEqual([...METRIC_NAMES]);
    expect(a.pairs).toBe(a.scenes * settings.candidates);
    expect(a.heads.find((h) => h.name === 'ec')!.valid).toBe(0); // no previous plan on a lake frame
    expect(a.heads.find((h) => h.name === 'dac')!.valid).toBe(a.pairs);
    expect(first.losses).toHaveLength(settings.steps);
    expect(readFileSync(join(out, AGREEMENT_MD), 'utf8')).toContain('| dac | binary |');
    const cached = statSync(pairsFile(out, 'train')).mtimeMs;
    const bytes = readFileSync(join(out, MODEL_FILE));
    const again = await trainRewardModel({ run, out, settings, schedule, seed: 0, quiet: true });
    expect(statSync(pairsFile(out, 'train')).mtimeMs).toBe(cached);
    expect(readFileSync(join(out, MODEL_FILE)).equals(bytes)).toBe(true);
    expect(again.losses).toEqual(first.losses);
  }, 240_000);

  it('scores plans with the untrained EC head counted as 1 in the implied EPDMS', async () => {
    const model = loadRewardModel(out);
    expect([...model.untrained]).toEqual(['ec']);
    const scenario = createScenario('highway-cruise', 0);
    const scene = planScene(scenario, scenario.initial);
    try {
      const scores = await scoreWithRewardModel(model, scene, [scene.expertPlan, new Float64Array(16)]);
      expect(scores).toHaveLength(2);
      for (const s of scores) {
        expect(s.epdms).toBeCloseTo(impliedEpdms({ ...s.metrics, ec: 1 }), 6);
        expect(s.epdms).toBeGreaterThan(0);
        expect(s.epdms).toBeLessThan(1);
      }
    } finally {
      await model.network.dispose();
    }
  }, 60_000);

  it('refuses a run folder as --out', async () => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, LAKE_DIR), { recursive: true });
    await expect(
      trainRewardModel({ run, out: bad, settings, schedule, seed: 0, quiet: true }),
    ).rejects.toThrow(/is a run folder/);
  });
});
