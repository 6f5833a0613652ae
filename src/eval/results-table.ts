// The results table over several runs of one preset (one run per seed): per model, stage, mode and suite, the
// closed-loop EPDMS as the mean and the min-max over the runs, as Markdown. Not the per-run report (stage-report.ts).

import { UsageError } from '../core/errors.js';
import type { Report } from './stage-report.js';

/** One run folder's report and where it came from (named in errors). */
export interface RunReport {
  readonly run: string;
  readonly report: Report;
}

/** A figure over runs: its mean, smallest and largest value, and how many runs have it. */
export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** One row of the table: a checkpoint driven in one mode on one suite, over the runs that evaluated it. */
export interface ResultRow {
  readonly model: string;
  readonly stage: string;
  readonly mode: string;
  readonly suite: string;
  readonly epdms: Spread;
  readonly atFaultCollisions: Spread; // episodes with one
}

export interface Results {
  readonly preset: string;
  readonly expertEpdms: Spread;
  readonly rows: readonly ResultRow[];
}

/** Mean and min-max of `values` (at least one). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new UsageError('spread: no values');
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return { mean, min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** Groups the runs' closed-loop rows by (model, stage, mode, suite), in the order they first appear. */
export function collectResults(runs: readonly RunReport[]): Results {
  if (runs.length === 0) throw new UsageError('results table: no run folder given');
  const preset = runs[0].report.preset;
  const other = runs.find((r) => r.report.preset !== preset);
  if (other) {
    throw new UsageError(
      `results table: ${other.run} is of preset '${other.report.preset}', ${runs[0].run} of '${preset}'; ` +
        'a table compares seeds of one preset',
    );
  }
  const groups = new Map<
    string,
    { key: Omit<ResultRow, 'epdms' | 'atFaultCollisions'>; epdms: number[]; hits: number[] }
  >();
  for (const { report } of runs) {
    for (const c of report.closedLoop) {
      const id = JSON.stringify([c.model, c.stage, c.mode, c.suite]);
      let group = groups.get(id);
      if (!group) {
        group = {
          key: { model: c.model, stage: c.stage, mode: c.mode, suite: c.suite },
          epdms: [],
          hits: [],
        };
        groups.set(id, group);
      }
      group.epdms.push(c.epdms);
      group.hits.push(c.atFaultCollisions);
    }
  }
  return {
    preset,
    expertEpdms: spread(runs.map((r) => r.report.expertEpdms)),
    rows: [...groups.values()].map((g) => ({
      ...g.key,
      epdms: spread(g.epdms),
      atFaultCollisions: spread(g.hits),
    })),
  };
}

const HEAD = ['model', 'stage', 'mode', 'suite', 'EPDMS mean', 'min-max', 'of expert', 'collisions', 'seeds'];

/** The results as a Markdown table; the expert (the reference every row is a share of) comes first. */
export function resultsMarkdown(results: Results): string {
  const expert = results.expertEpdms;
  const range = (s: Spread, digits: number) =>
    s.runs > 1 ? `${s.min.toFixed(digits)}-${s.max.toFixed(digits)}` : '-';
  const suites = [...new Set(results.rows.map((r) => r.suite))].join(', ') || '-';
  const rows = [
    ['expert', '-', '-', suites, expert.mean.toFixed(3), range(expert, 3), '100%', '-', String(expert.runs)],
    ...results.rows.map((r) => [
      r.model,
      r.stage,
      r.mode,
      r.suite,
      r.epdms.mean.toFixed(3),
      range(r.epdms, 3),
      `${((100 * r.epdms.mean) / Math.max(expert.mean, 1e-9)).toFixed(0)}%`,
      r.atFaultCollisions.mean.toFixed(1),
      String(r.epdms.runs),
    ]),
  ];
  // columns padded to their widest cell, as Biome formats Markdown tables, so a pasted table stays formatted
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return `${[line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}
