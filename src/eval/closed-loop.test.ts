import { describe, expect, it } from 'vitest';
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
