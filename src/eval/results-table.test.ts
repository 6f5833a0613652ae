import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectResults, resultsMarkdown } from './results-table.js';
import { loadReport, type Report, saveReport } from './stage-report.js';

/** A report with closed-loop rows only (the table reads nothing else). */
function report(
  expertEpdms: number,
  rows: [string, string, string, number, number][],
  preset = 'small',
): Report {
  return {
    preset,
    expertEpdms,
    stages: [],
    closedLoop: rows.map(([model, stage, mode, epdms, atFaultCollisions]) => ({
      model,
      stage,
      mode,
      suite: 'standard',
      episodes: 45,
      epdms,
      pdms: epdms,
      atFaultCollisions,
    })),
  };
}

/** Two seeds' run folders, written and read back the way `drivefm run` and `drivefm report` do. */
function twoSeeds(): string[] {
  const seed0 = report(0.97, [
    ['teacher', 'instruct', 'think', 0.8, 1],
    ['teacher', 'instruct', 'fast', 0.78, 1],
  ]);
  const seed1 = report(0.97, [
    ['teacher', 'instruct', 'think', 0.7, 6],
    ['teacher', 'instruct', 'fast', 0.76, 2],
    ['student', 'instruct', 'fast', 0.7, 7],
  ]);
  return [seed0, seed1].map((r) => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-results-'));
    saveReport(dir, r);
    return dir;
  });
}

describe('results table', () => {
  it('gives the mean and min-max of each row over the seeds that evaluated it', () => {
    const results = collectResults(twoSeeds().map((run) => ({ run, report: loadReport(run) })));
    expect(results.rows.map((r) => `${r.model}:${r.stage}:${r.mode}`)).toEqual([
      'teacher:instruct:think',
      'teacher:instruct:fast',
      'student:instruct:fast',
    ]);
    const think = results.rows[0];
    expect(think.epdms.mean).toBeCloseTo(0.75, 12);
    expect([think.epdms.min, think.epdms.max, think.epdms.runs]).toEqual([0.7, 0.8, 2]);
    expect(think.atFaultCollisions.mean).toBe(3.5);
    expect(results.rows[2].epdms.runs).toBe(1); // only seed 1 drove the student
    expect(results.expertEpdms).toEqual({ mean: 0.97, min: 0.97, max: 0.97, runs: 2 });
  });

  it('prints Markdown with the expert first, the share of it and the number of seeds', () => {
    const results = collectResults(twoSeeds().map((run) => ({ run, report: loadReport(run) })));
    expect(resultsMarkdown(results)).toBe(
      [
        '| model   | stage    | mode  | suite    | EPDMS mean | min-max     | of expert | collisions | seeds |',
        '| ------- | -------- | ----- | -------- | ---------- | ----------- | --------- | ---------- | ----- |',
        '| expert  | -        | -     | standard | 0.970      | 0.970-0.970 | 100%      | -          | 2     |',
        '| teacher | instruct | think | standard | 0.750      | 0.700-0.800 | 77%       | 3.5        | 2     |',
        '| teacher | instruct | fast  | standard | 0.770      | 0.760-0.780 | 79%       | 1.5        | 2     |',
        '| student | instruct | fast  | standard | 0.700      | -           | 72%       | 7.0        | 1     |',
        '',
      ].join('\n'),
    );
  });

  it('refuses runs of different presets, naming them', () => {
    const small = { run: 'runs/a', report: report(0.97, []) };
    const tiny = { run: 'runs/b', report: report(0.99, [], 'tiny') };
    expect(() => collectResults([small, tiny])).toThrow(/runs\/b is of preset 'tiny', runs\/a of 'small'/);
  });

  it('is what `drivefm report --markdown` prints; several runs without it are refused', () => {
    const runs = twoSeeds();
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/drivefm.js', 'report', ...args], { encoding: 'utf8' });
    const table = cli('--markdown', ...runs);
    expect(table.status).toBe(0);
    expect(table.stdout).toBe(
      resultsMarkdown(collectResults(runs.map((run) => ({ run, report: loadReport(run) })))),
    );
    const refused = cli(...runs);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('drivefm: report: 2 run folders given; several need --markdown\n');
  });
});
