import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitActionBins } from '../labels/action-bins.js';
import { saveModelCheckpoint } from '../model/checkpoint.js';
import { vlaPreset } from '../model/config.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { VlaModel } from '../model/vla.js';
import type { Suite } from '../sim/suites.js';
import { evaluateSpec } from './closed-loop.js';
import { suiteJson } from './report.js';
import { EvalWorkerError, oneLine } from './workers.js';

const suite: Suite = {
  name: 'mixed',
  version: 1,
  description: 'a few episodes of different families',
  episodes: [
    { family: 'cut-in', seed: 3 },
    { family: 'jaywalker', seed: 1 },
    { family: 'cut-in', seed: 4 },
    { family: 'nominal-urban', seed: 2 },
    { family: 'stalled-obstacle', seed: 0 },
  ],
};

describe('closed-loop evaluation over worker threads', () => {
  it('gives the same bytes with 1 and 2 workers, in suite order', async () => {
    const one = await evaluateSpec(suite, { kind: 'expert' }, { quiet: true, workers: 1 });
    const two = await evaluateSpec(suite, { kind: 'expert' }, { quiet: true, workers: 2 });
    expect(JSON.stringify(suiteJson(two))).toBe(JSON.stringify(suiteJson(one)));
    expect(two.episodes.map((e) => `${e.family}:${e.seed}`)).toEqual(
      suite.episodes.map((e) => `${e.family}:${e.seed}`),
    );
    expect(two.driver).toBe('expert');
    // the intervals' estimates are the summary's means, and the episodes differ, so the interval has width
    expect(one.intervals.all.epdms.estimate).toBe(one.summary.epdms);
    expect(one.intervals.all.epdms.hi).toBeGreaterThan(one.intervals.all.epdms.lo);
    expect(one.intervals.families.map((f) => [f.family, f.episodes])).toEqual([
      ['cut-in', 2],
      ['jaywalker', 1],
      ['nominal-urban', 1],
      ['stalled-obstacle', 1],
    ]);
  });

  it('builds a model driver in each worker from its spec, with the same bytes as in one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-workers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const axis = { longitudinalBins: 4, lateralBins: 4 };
    const tokenizer = trainTokenizer(['Follow the road.'], { vocabSize: 300, ...axis });
    const accels = Float64Array.from({ length: 16 }, (_, i) => -2 + (i % 4));
    const bins = fitActionBins(
      accels,
      accels.map((a) => a / 100),
      axis,
    );
    const config = vlaPreset('tiny-student');
    const params = VlaModel.init(config, tokenizer.vocabSize, 5).params; // untrained: any plan will do
    saveModelCheckpoint(dir, { preset: 'tiny-student', config, tokenizer, bins, params, stages: [] });
    const spec = {
      kind: 'model',
      checkpoint: dir,
      mode: 'fast',
      control: 'mean',
      caution: 1,
      seed: 0,
    } as const;
    const two = { ...suite, episodes: suite.episodes.slice(0, 2) };
    const one = await evaluateSpec(two, spec, { quiet: true, workers: 1 });
    const pooled = await evaluateSpec(two, spec, { quiet: true, workers: 2 });
    expect(pooled.driver).toBe('vla-tiny-student-fast');
    expect(JSON.stringify(suiteJson(pooled))).toBe(JSON.stringify(suiteJson(one)));
  });

  it("surfaces a worker's failure to build its driver as one line", async () => {
    const spec = {
      kind: 'model',
      checkpoint: '/nonexistent/checkpoint',
      mode: 'fast',
      control: 'cautious',
      caution: 0.5,
      seed: 0,
    } as const;
    const run = evaluateSpec(suite, spec, { quiet: true, workers: 2, limit: 2 });
    await expect(run).rejects.toThrow(EvalWorkerError);
    await expect(run).rejects.toThrow(
      /^eval worker: \/nonexistent\/checkpoint\/config\.json: no model checkpoint here[^\n]*$/,
    );
  });
});

describe('worker errors', () => {
  it('keep the first line of a message, with the class name of a foreign error', () => {
    expect(oneLine(new TypeError('x is undefined\n    at foo (bar.ts:1)'))).toEqual({
      code: 'E_WORKER',
      message: 'TypeError: x is undefined',
    });
    const e = new EvalWorkerError({ family: 'cut-in', seed: 3 }, 'E_USAGE', 'bad plan');
    expect(e.message).toBe('eval worker, episode cut-in:3: bad plan');
    expect(e.code).toBe('E_USAGE');
  });
});
