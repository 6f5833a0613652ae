// The RL stages' table of `drivefm report`: for each checkpoint under RUN/models/ whose last stage recorded a GRPO
// curve, its reward and scorer EPDMS over the first and last tenth of the steps, the final KL to the reference,
// and its closed-loop EPDMS per suite where report.json has them. Not the measurement (train/rl/, eval/).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, loadModelCheckpoint } from '../model/checkpoint.js';
import type { ClosedRow } from './stage-report.js';
import { table } from './table.js';

/** One RL checkpoint's figures. */
export interface RlRow {
  readonly model: string; // teacher | student
  readonly stage: string;
  readonly steps: number;
  readonly reward: readonly [number, number]; // mean over the first and the last tenth of the steps
  readonly epdms: readonly [number, number]; // the plan scorer's, of the sampled plans, likewise
  readonly kl: number; // the last tenth's mean KL estimate to the reference
  readonly closedLoop: readonly { readonly suite: string; readonly epdms: number }[];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The RL rows of run folder `run` (none when it has no RL checkpoint); `closed`: report.json's rows. */
export function rlRows(run: string, closed: readonly ClosedRow[]): RlRow[] {
  const models = join(run, 'models');
  if (!existsSync(models)) return [];
  const rows: RlRow[] = [];
  for (const model of readdirSync(models).sort()) {
    const dir = join(models, model);
    if (!statSync(dir).isDirectory()) continue;
    for (const stage of readdirSync(dir).sort()) {
      if (!existsSync(join(dir, stage, CONFIG_FILE))) continue;
      const record = loadModelCheckpoint(join(dir, stage)).stages.at(-1);
      const curve = record?.curve;
      if (!record || !curve || curve.length === 0) continue;
      const tenth = Math.max(1, Math.round(curve.length / 10));
      const ends = (key: string) =>
        [
          mean(curve.slice(0, tenth).map((p) => p[key]!)),
          mean(curve.slice(-tenth).map((p) => p[key]!)),
        ] as const;
      rows.push({
        model,
        stage: record.stage,
        steps: record.steps,
        reward: ends('reward'),
        epdms: ends('epdms'),
        kl: ends('kl')[1],
        closedLoop: closed
          .filter((c) => c.model === model && c.stage === record.stage)
          .map((c) => ({ suite: `${c.suite} ${c.mode}`, epdms: c.epdms })),
      });
    }
  }
  return rows;
}

/** The rows as a text table, or '' when there are none. */
export function rlReportText(rows: readonly RlRow[]): string {
  if (rows.length === 0) return '';
  const f = (x: number) => x.toFixed(3);
  const body = rows.map((r) => [
    r.model,
    r.stage,
    String(r.steps),
    `${f(r.reward[0])} -> ${f(r.reward[1])}`,
    `${f(r.epdms[0])} -> ${f(r.epdms[1])}`,
    f(r.kl),
    r.closedLoop.map((c) => `${c.suite} ${f(c.epdms)}`).join(', ') || '-',
  ]);
  const head = [
    'model',
    'stage',
    'steps',
    'reward (first -> last 10%)',
    'plan EPDMS',
    'KL to ref',
    'closed-loop EPDMS',
  ];
  return `\nRL stages\n${table(head, body)}`;
}
