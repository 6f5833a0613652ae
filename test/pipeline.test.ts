import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../src/eval/stage-report.js';

describe('drivefm run --preset tiny (the whole pipeline end to end)', () => {
  it('simulates, generates the lake, trains every stage of both models, evaluates and reports', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'drivefm-run-')), 'run');
    const run = spawnSync(
      process.execPath,
      ['bin/drivefm.js', 'run', '--preset', 'tiny', '--out', out, '--quiet'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = reportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.stages.map((s) => `${s.model}:${s.stage}`)).toEqual(
      ['teacher', 'student'].flatMap((m) =>
        ['pretrain', 'align', 'cot-sft', 'cot-short', 'instruct'].map((s) => `${m}:${s}`),
      ),
    );
    for (const s of report.stages) expect(s.lossAfter).toBeLessThan(s.lossBefore); // every stage lowers its loss
    // instructions followed, measured on more frames (8) than the other open-loop figures (4)
    for (const s of report.stages) expect(s.adherence.n).toBeGreaterThan(4);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // after cot-short each model drove one training scenario per family, labelled by the expert's takeovers
    const rounds = summary.onPolicy as { model: string; after: string; written: number; frames: number }[];
    expect(rounds.map((d) => `${d.model}:${d.after}:${d.written}`)).toEqual([
      'teacher:cot-short:9',
      'student:cot-short:9',
    ]);
    for (const d of rounds) expect(d.frames).toBeGreaterThan(9);
    expect(report.closedLoop.length).toBeGreaterThan(0);
    for (const c of report.closedLoop) expect(c.epdms).toBeGreaterThanOrEqual(0);
    const table = spawnSync(process.execPath, ['bin/drivefm.js', 'report', out], { encoding: 'utf8' });
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/teacher\s+instruct/);
  }, 600_000);
});
