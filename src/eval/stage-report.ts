// The pipeline's report: per model and stage, what training did (loss before and after) and what it changed
// (open-loop figures), plus closed-loop EPDMS; saved as report.json in the run folder, printed as a table by
// `drivefm report`. Not the evaluations themselves (closed-loop.ts, open-loop.ts).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { table } from './table.js';

export const REPORT_FILE = 'report.json';
/** Each training step's per-step losses, curves/<model>/<stage>.json: { losses }, for the dashboard's curves. */
export const CURVES_DIR = 'curves';

const accuracy = z.strictObject({ n: z.number(), accuracy: z.number() });
export const stageRowSchema = z.strictObject({
  model: z.string(), // teacher | student
  stage: z.string(),
  steps: z.number(),
  lossBefore: z.number(),
  lossAfter: z.number(),
  qa: accuracy, // over every category
  lightState: accuracy,
  actionTokens: accuracy,
  l2At4s: z.number(), // [m]
  adherence: accuracy, // plans showing the behaviour their instruction asks for, over every behaviour
  cotTokens: accuracy,
  cotLength: z.number(), // [tokens]
});
export const closedRowSchema = z.strictObject({
  model: z.string(),
  stage: z.string(),
  mode: z.string(), // fast | think
  suite: z.string(),
  episodes: z.number(),
  epdms: z.number(),
  pdms: z.number(),
  atFaultCollisions: z.number(),
});
export const reportSchema = z.strictObject({
  preset: z.string(),
  expertEpdms: z.number(), // on the same suite, the reference
  stages: z.array(stageRowSchema),
  closedLoop: z.array(closedRowSchema),
});

export type StageRow = z.infer<typeof stageRowSchema>;
export type ClosedRow = z.infer<typeof closedRowSchema>;
export type Report = z.infer<typeof reportSchema>;

export function saveReport(run: string, report: Report): void {
  writeFileAtomic(join(run, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
}

export function loadReport(run: string): Report {
  const file = join(run, REPORT_FILE);
  if (!existsSync(file)) throw new InputError({ file, message: 'no report: run `drivefm run` first' });
  return loadJsonConfig(reportSchema, file);
}

const pct = (a: { n: number; accuracy: number }) => (a.n > 0 ? `${(100 * a.accuracy).toFixed(0)}%` : '-');

/** The report as aligned text tables. */
export function reportText(r: Report): string {
  const head = [
    'model',
    'stage',
    'steps',
    'loss',
    'QA',
    'light',
    'act tok',
    'L2@4s',
    'instr',
    'CoT tok',
    'CoT len',
  ];
  const rows = r.stages.map((s) => [
    s.model,
    s.stage,
    String(s.steps),
    `${s.lossBefore.toFixed(2)} -> ${s.lossAfter.toFixed(2)}`,
    pct(s.qa),
    pct(s.lightState),
    pct(s.actionTokens),
    `${s.l2At4s.toFixed(2)} m`,
    pct(s.adherence),
    pct(s.cotTokens),
    s.cotLength.toFixed(1),
  ]);
  const closedHead = ['model', 'stage', 'mode', 'suite', 'EPDMS', 'of expert', 'PDMS', 'collisions'];
  const closed = r.closedLoop.map((c) => [
    c.model,
    c.stage,
    c.mode,
    c.suite,
    c.epdms.toFixed(3),
    `${((100 * c.epdms) / Math.max(r.expertEpdms, 1e-9)).toFixed(0)}%`,
    c.pdms.toFixed(3),
    String(c.atFaultCollisions),
  ]);
  return `${table(head, rows)}\n${table(closedHead, closed)}expert EPDMS ${r.expertEpdms.toFixed(3)}\n`;
}
