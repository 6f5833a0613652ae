// The models of the `drivefm compress` report and its rows: parameters, file bytes, one-thread decision latency,
// closed-loop EPDMS with its 95% interval and fallbacks per suite; JSON and Markdown. Not the steps (compress-steps.ts).

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Decider, driverDecider, vehicleDecider } from '../compress/latency.js';
import { writeFileAtomic } from '../core/atomic.js';
import { evaluateSpec } from '../eval/closed-loop.js';
import type { DriverSpec } from '../eval/driver-spec.js';
import { loadModelCheckpoint, WEIGHTS_FILE } from '../model/checkpoint.js';
import type { DriveMode } from '../model/prompt.js';
import type { Suite } from '../sim/suites.js';
import type { Recipe } from '../train/recipe.js';

export const COMPRESS_REPORT = 'report.json';
export const COMPRESS_MARKDOWN = 'report.md';

/**
 * A model of the report. A checkpoint is timed and driven by the policy's driver in `mode`. A vehicle file is timed
 * in onnxruntime and driven by the in-car runtime (src/runtime/), which counts its fallbacks; `from` is the
 * checkpoint it was exported from (its parameters, its tokenizer for the feeds).
 */
export type ReportModel =
  | { readonly kind: 'checkpoint'; readonly name: string; readonly dir: string; readonly mode: DriveMode }
  | { readonly kind: 'vehicle'; readonly name: string; readonly file: string; readonly from: string };

/** The checkpoint whose parameters (and, for a vehicle file, tokenizer) the model has. */
const checkpointOf = (m: ReportModel) => (m.kind === 'checkpoint' ? m.dir : m.from);

export const latencySchema = z.strictObject({ p50Ms: z.number(), p99Ms: z.number() });
export type LatencyRow = z.infer<typeof latencySchema>;

export async function deciderOf(m: ReportModel): Promise<Decider> {
  switch (m.kind) {
    case 'checkpoint':
      return driverDecider(m.dir, m.mode);
    case 'vehicle':
      return vehicleDecider(readFileSync(m.file), loadModelCheckpoint(m.from));
  }
}

/** One suite's closed-loop figures of a model. */
export const suiteRowSchema = z.strictObject({
  suite: z.string(),
  version: z.int().positive(),
  episodes: z.int().positive(),
  epdms: z.number(),
  lo: z.number(), // 95% percentile-bootstrap interval over the episodes
  hi: z.number(),
  fallbacks: z.int().min(0).nullable(), // the runtime's fallbacks (last plan or safe stop); null: no runtime drove
  drivenBy: z.string(), // what drove: the driver's name
});
export type SuiteRow = z.infer<typeof suiteRowSchema>;

export interface DriveSettings {
  readonly control: Recipe['eval']['control'];
  readonly runtime: Recipe['runtime'];
  readonly seed: number;
  readonly workers: number;
  readonly quiet: boolean;
}

function specOf(m: ReportModel, s: DriveSettings): DriverSpec {
  switch (m.kind) {
    case 'checkpoint':
      return {
        kind: 'model',
        checkpoint: m.dir,
        mode: m.mode,
        control: s.control.rule,
        caution: s.control.caution,
        seed: s.seed,
      };
    case 'vehicle':
      return { kind: 'vehicle', file: m.file, ...s.runtime };
  }
}

/** Drives the model on each suite (closed loop: see ReportModel). */
export async function driveRow(
  m: ReportModel,
  suites: readonly Suite[],
  s: DriveSettings,
): Promise<SuiteRow[]> {
  const spec = specOf(m, s);
  const rows: SuiteRow[] = [];
  for (const suite of suites) {
    const r = await evaluateSpec(suite, spec, {
      workers: s.workers,
      quiet: s.quiet,
      label: `eval ${m.name} ${suite.name}`,
    });
    const { estimate, lo, hi } = r.intervals.all.epdms;
    rows.push({
      suite: suite.name,
      version: suite.version,
      episodes: r.summary.episodes,
      epdms: estimate,
      lo,
      hi,
      fallbacks: r.runtime ? Object.values(r.runtime.fallbacks).reduce((a, b) => a + b, 0) : null,
      drivenBy: r.driver,
    });
  }
  return rows;
}

/** A row of the report. */
export const compressRowSchema = z.strictObject({
  model: z.string(),
  path: z.string(),
  params: z.int().positive(),
  bytes: z.int().positive(), // [bytes] model.safetensors of a checkpoint, the .onnx of a vehicle file
  p50Ms: z.number(), // one decision, one thread
  p99Ms: z.number(),
  suites: z.array(suiteRowSchema),
});
export type CompressRow = z.infer<typeof compressRowSchema>;

export function rowOf(m: ReportModel, latency: LatencyRow, suites: SuiteRow[]): CompressRow {
  const ckpt = loadModelCheckpoint(checkpointOf(m));
  const params = [...ckpt.params.values()].reduce((n, p) => n + p.length, 0);
  const path = m.kind === 'checkpoint' ? m.dir : m.file;
  const bytes = statSync(m.kind === 'checkpoint' ? join(m.dir, WEIGHTS_FILE) : m.file).size;
  return { model: m.name, path, params, bytes, ...latency, suites };
}

const f = (x: number, digits: number) => x.toFixed(digits);

/** Writes report.json and report.md in `out`: one row per model, one EPDMS and fallbacks column pair per suite. */
export function writeCompressReport(
  out: string,
  rows: readonly CompressRow[],
  notes: readonly string[],
): void {
  writeFileAtomic(join(out, COMPRESS_REPORT), `${JSON.stringify({ rows, notes }, null, 1)}\n`);
  const suites = rows[0]?.suites.map((s) => s.suite) ?? [];
  const head = [
    'model',
    'parameters',
    'bytes',
    'p50 ms',
    'p99 ms',
    ...suites.flatMap((s) => [`EPDMS ${s} (95% CI)`, `fallbacks ${s}`]),
  ];
  const lines = rows.map((r) =>
    [
      r.model,
      String(r.params),
      String(r.bytes),
      f(r.p50Ms, 1),
      f(r.p99Ms, 1),
      ...r.suites.flatMap((s) => [
        `${f(s.epdms, 3)} [${f(s.lo, 3)}, ${f(s.hi, 3)}]`,
        s.fallbacks === null ? 'n/a' : String(s.fallbacks),
      ]),
    ].join(' | '),
  );
  const md = [
    `| ${head.join(' | ')} |`,
    `| --- | ${head
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...lines.map((l) => `| ${l} |`),
    '',
    ...notes.map((n) => `- ${n}`),
  ];
  writeFileAtomic(join(out, COMPRESS_MARKDOWN), `${md.join('\n')}\n`);
}
