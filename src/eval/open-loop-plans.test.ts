import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeps } from '../data/deps.js';
import { lakeActionBins, readFrames, textCorpus } from '../data/frames.js';
import { generateLake } from '../data/generate.js';
import { LakeReader } from '../data/lake-reader.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { VlaModel } from '../model/vla.js';
import { METRIC_NAMES } from '../sim/metrics/index.js';
import { evaluateOpenLoop } from './open-loop.js';
import { scoreOpenLoopPlans } from './open-loop-plans.js';
import { openLoopPlansText } from './open-loop-plans-report.js';

describe('open-loop plan scores', () => {
  const root = mkdtempSync(join(tmpdir(), 'open-loop-plans-'));
  const run = join(root, 'run');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    await generateLake({ preset: 'tiny', out: run, quiet: true }, generateDeps());
  }, 120_000);

  it("scores the expert's plan EP 1 without collision on every replayed frame; its stored tokens nearly so", async () => {
    const lake = await LakeReader.open(run);
    try {
      const records = await readFrames(lake, { maxFrames: 1000, seed: 0, split: 'val' });
      const planned = records.map((record) => ({ record, bins: Int32Array.from(record.actions!) }));
      const plans = await scoreOpenLoopPlans(lake, planned, lakeActionBins(run), { resamples: 200 });
      expect(plans.frames).toBe(records.length);
      expect(plans.notReplayable).toBe(0);
      const expert = plans.expert!.all;
      // EP is the plan's progress over the expert's: 1 up to the scorer's rounding (1e-9 on some frames).
      for (const end of [expert.ep.estimate, expert.ep.lo, expert.ep.hi]) expect(end).toBeCloseTo(1, 7);
      expect(expert.nc).toEqual({ estimate: 1, lo: 1, hi: 1 });
      expect(plans.atFaultCollisions.expert).toBe(0);
      // The lake's tokens are the expert's next 4 s quantised: close to its plan, not it.
      const tokens = plans.model!.all;
      expect(tokens.epdms.estimate).toBeGreaterThan(0.5);
      expect(tokens.epdms.estimate).toBeLessThanOrEqual(expert.epdms.estimate);
      expect(plans.modelMinusExpert!.all.epdms.estimate).toBeCloseTo(
        tokens.epdms.estimate - expert.epdms.estimate,
        12,
      );
    } finally {
      await lake.close();
    }
  }, 120_000);

  it('gives an untrained tiny model a finite score in [0, 1], the same bytes twice', async () => {
    const dir = join(root, 'model');
    const bins = lakeActionBins(run);
    const axis = {
      longitudinalBins: bins.longitudinal.centres.length,
      lateralBins: bins.lateral.centres.length,
    };
    const lake = await LakeReader.open(run);
    const corpus = await textCorpus(lake).finally(() => lake.close()); // the lake's prompts fit the text budget
    const tokenizer = trainTokenizer(corpus, { vocabSize: 768, ...axis });
    const config = vlaPreset('tiny-student');
    const params = VlaModel.init(config, tokenizer.vocabSize, 5).params; // untrained: any plan will do
    saveModelCheckpoint(dir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
    const options = { frames: 3, adherenceFrames: 3, maxCot: 4, bootstrap: { resamples: 200 } } as const;
    const once = await evaluateOpenLoop(dir, run, options);
    const twice = await evaluateOpenLoop(dir, run, options);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    expect(once.plans.frames).toBe(3);
    const all = once.plans.model!.all;
    for (const name of ['epdms', 'pdms', ...METRIC_NAMES] as const) {
      const { estimate, lo, hi } = all[name];
      expect(estimate >= 0 && estimate <= 1, `${name} ${estimate} is a score in [0, 1]`).toBe(true);
      expect(lo).toBeLessThanOrEqual(estimate);
      expect(hi).toBeGreaterThanOrEqual(estimate);
    }
    expect(once.plans.expert!.all.ep.estimate).toBeCloseTo(1, 7);
    const text = openLoopPlansText(once.plans).split('\n');
    expect(text[0]).toMatch(/^open-loop plans on 3 held-out frames: EPDMS \d\.\d{3} \(expert \d\.\d{3}\)/);
    expect(text.filter((line) => /^(epdms|pdms|nc|ec) /.test(line))).toHaveLength(4);
  }, 120_000);
});
