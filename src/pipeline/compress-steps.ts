// The steps of `drivefm compress`: distil a student from the teacher, prune it, recover the pruned model by
// distillation from the unpruned one, calibrate int8, export the vehicle files, time and drive every model, then
// report (report.json and report.md). Not what each step does (compress/, train/, eval/).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decisionMs } from '../compress/latency.js';
import { pruneCheckpoint, pruneSummarySchema } from '../compress/prune-checkpoint.js';
import { agreement, agreementSchema, calibrate, quantiseFrames } from '../compress/quantise.js';
import { exportVehicle } from '../compress/vehicle.js';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import { loadModelCheckpoint } from '../model/checkpoint.js';
import type { Suite } from '../sim/suites.js';
import type { Recipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import {
  COMPRESS_MARKDOWN,
  COMPRESS_REPORT,
  type CompressRow,
  compressRowSchema,
  deciderOf,
  driveRow,
  latencySchema,
  type ReportModel,
  rowOf,
  suiteRowSchema,
  writeCompressReport,
} from './compress-report.js';
import { StepList } from './runner.js';

export { COMPRESS_MARKDOWN, COMPRESS_REPORT, type CompressRow };

/** A distillation step's result: its loss before and after. */
const lossesSchema = z.strictObject({ lossBefore: z.number(), lossAfter: z.number() });

export interface CompressSettings {
  readonly teacher: string; // the teacher checkpoint folder
  readonly lake: string; // run folder holding the lake the teacher was trained on
  readonly out: string; // compress folder
  readonly scratch?: string; // a student trained from scratch (the run's student/instruct), for its report row
  readonly suites: readonly Suite[]; // closed-loop suites of the report
  readonly workers: number; // worker threads driving episodes
  readonly seed: number;
  readonly quiet: boolean;
}

const DISTILLED = join('models', 'distilled');
const PRUNED_RAW = join('models', 'pruned-raw');
const PRUNED = join('models', 'pruned');
const VEHICLES = 'vehicles';
const SCALES = 'int8-scales.json'; // calibrated activation scales of each student
const vehicleFile = (model: string, int8: boolean) =>
  join(VEHICLES, `${model}-${int8 ? 'int8' : 'fp32'}.onnx`);

/** The students that are quantised and exported: the distilled one for comparison, the pruned one for the car. */
const STUDENTS = [
  { name: 'distilled', dir: DISTILLED },
  { name: 'pruned', dir: PRUNED },
] as const;

const scalesSchema = z.record(z.string(), z.array(z.number()));
const quantisedSchema = z.strictObject({
  model: z.string(),
  sites: z.int().positive(),
  weights: agreementSchema, // weight-only int8 against fp32 on held-out frames
  static: agreementSchema, // static int8 activations too
});
const exportedSchema = z.strictObject({
  file: z.string(),
  bytes: z.int().positive(),
  parameters: z.int().positive(),
});

export function compressSteps(p: Recipe, s: CompressSettings): StepList {
  const list = new StepList();
  const { out, seed, quiet, lake, teacher } = s;
  const stage = (from: string | undefined, by: string, dir: string, steps?: number) =>
    runStage({
      stage: 'distil',
      lake,
      from,
      teacher: by,
      out: join(out, dir),
      recipe: p,
      seed,
      quiet,
      steps,
    });
  list.add({
    name: 'distil',
    params: { stage: p.stages.distil, distil: p.compress.distil, models: p.models, seed },
    outputs: [DISTILLED],
    result: lossesSchema,
    run: async (wall) => {
      const r = await stage(undefined, teacher, DISTILLED);
      wall.secondsPerStep = r.secondsPerStep;
      return { lossBefore: r.lossBefore, lossAfter: r.lossAfter };
    },
    line: (r) => `  distilled student: loss ${r.lossBefore.toFixed(3)} -> ${r.lossAfter.toFixed(3)}\n`,
  });
  list.add({
    name: 'prune',
    params: { prune: p.compress.prune, seed },
    outputs: [PRUNED_RAW],
    result: pruneSummarySchema,
    run: () =>
      pruneCheckpoint({
        checkpoint: join(out, DISTILLED),
        lake,
        out: join(out, PRUNED_RAW),
        recipe: p,
        seed,
      }),
    line: (r) => `  pruned: ${r.paramsBefore} -> ${r.paramsAfter} parameters\n`,
  });
  list.add({
    name: 'recover',
    params: { steps: p.compress.prune.recoverySteps, distil: p.compress.distil, seed },
    outputs: [PRUNED],
    result: lossesSchema,
    run: async () => {
      const r = await stage(
        join(out, PRUNED_RAW),
        join(out, DISTILLED),
        PRUNED,
        p.compress.prune.recoverySteps,
      );
      return { lossBefore: r.lossBefore, lossAfter: r.lossAfter };
    },
    line: (r) => `  recovered: loss ${r.lossBefore.toFixed(3)} -> ${r.lossAfter.toFixed(3)}\n`,
  });
  const q = p.compress.quantise;
  list.add({
    name: 'quantise',
    params: { quantise: q, seed },
    outputs: [SCALES],
    result: z.strictObject({ models: z.array(quantisedSchema) }),
    run: async () => {
      const frames = await quantiseFrames(lake, q, seed);
      const scales: Record<string, number[]> = {};
      const models = [];
      for (const m of STUDENTS) {
        const ckpt = loadModelCheckpoint(join(out, m.dir));
        const found = await calibrate(ckpt, frames.calibration, q.range);
        scales[m.name] = Array.from(found);
        const on = (activations: Parameters<typeof agreement>[2]) =>
          agreement(ckpt, 'int8', activations, frames.heldOut);
        const weights = await on({ kind: 'float' });
        models.push({
          model: m.name,
          sites: found.length,
          weights,
          static: await on({ kind: 'static', scales: found }),
        });
      }
      writeFileAtomic(join(out, SCALES), `${JSON.stringify(scales)}\n`);
      return { models };
    },
    line: (r) =>
      r.models
        .map(
          (m) =>
            `  ${m.model} int8 token agreement with fp32: weight-only ${m.weights.agreement.toFixed(3)}, static ${m.static.agreement.toFixed(3)}\n`,
        )
        .join(''),
  });
  const exported = list.add({
    name: 'export',
    params: { activations: q.activations, seed },
    outputs: [VEHICLES],
    result: z.strictObject({ files: z.array(exportedSchema) }),
    run: async () => {
      mkdirSync(join(out, VEHICLES), { recursive: true });
      const scales = loadJsonConfig(scalesSchema, join(out, SCALES));
      const files = [];
      for (const m of STUDENTS) {
        for (const int8 of [false, true]) {
          const file = vehicleFile(m.name, int8);
          const activations =
            int8 && q.activations === 'static'
              ? ({ kind: 'static', scales: Float32Array.from(scales[m.name]!) } as const)
              : ({ kind: 'float' } as const);
          const r = await exportVehicle(join(out, m.dir), join(out, file), { int8, activations, seed });
          files.push({ file, ...r });
        }
      }
      return { files };
    },
    line: (r) => r.files.map((f) => `  ${f.file}: ${f.bytes} bytes\n`).join(''),
  });
  const models: ReportModel[] = [
    { kind: 'checkpoint', name: 'teacher (think)', dir: teacher, mode: 'think' },
    { kind: 'checkpoint', name: 'teacher (fast)', dir: teacher, mode: 'fast' },
    ...(s.scratch
      ? [{ kind: 'checkpoint', name: 'student from scratch', dir: s.scratch, mode: 'fast' } as const]
      : []),
    { kind: 'checkpoint', name: 'distilled', dir: join(out, DISTILLED), mode: 'fast' },
    { kind: 'checkpoint', name: 'pruned', dir: join(out, PRUNED), mode: 'fast' },
    {
      kind: 'vehicle',
      name: 'int8 vehicle',
      file: join(out, vehicleFile('pruned', true)),
      from: join(out, PRUNED),
    },
  ];
  const latency = list.add({
    name: 'latency',
    params: { models, heldOut: q.heldOutFrames, seed },
    outputs: [],
    result: z.strictObject({ rows: z.array(latencySchema) }),
    run: async () => {
      const { heldOut } = await quantiseFrames(lake, q, seed);
      const deciders = [];
      for (const m of models) deciders.push(await deciderOf(m));
      const ms = await decisionMs(deciders, heldOut);
      return { rows: ms.map((l) => ({ p50Ms: l.p50, p99Ms: l.p99 })) };
    },
    line: (r) =>
      r.rows
        .map((l, k) => `  ${models[k]!.name}: p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms\n`)
        .join(''),
  });
  const drive = { control: p.eval.control, runtime: p.runtime, seed, workers: s.workers, quiet };
  const suiteKeys = s.suites.map((x) => ({ name: x.name, version: x.version, episodes: x.episodes }));
  const driven = models.map((m) =>
    list.add({
      name: `eval ${m.name}`,
      params: { model: m, suites: suiteKeys, control: p.eval.control, runtime: p.runtime, seed },
      outputs: [],
      result: z.array(suiteRowSchema),
      run: () => driveRow(m, s.suites, drive),
      line: (r) =>
        r
          .map(
            (x) =>
              `  ${m.name} on ${x.suite}: EPDMS ${x.epdms.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]\n`,
          )
          .join(''),
    }),
  );
  list.add({
    name: 'report',
    params: {},
    outputs: [COMPRESS_REPORT, COMPRESS_MARKDOWN],
    result: z.strictObject({ rows: z.array(compressRowSchema) }),
    run: async () => {
      const rows: CompressRow[] = models.map((m, k) =>
        rowOf(m, latency.result().rows[k]!, driven[k]!.result()),
      );
      const int8 = exported.result().files.find((x) => x.file === vehicleFile('pruned', true))!;
      writeCompressReport(out, rows, [
        `int8 vehicle: ${int8.file}, ${q.activations === 'static' ? 'static int8 activations' : 'weight-only int8'}, driven by the in-car runtime (budget ${p.runtime.budgetMs} ms a decision); checkpoints are driven by the checkpoint driver (no runtime: fallbacks n/a)`,
        'latency: one decision on one thread over the held-out lake frames, the models taking turns frame by frame',
      ]);
      return { rows };
    },
    line: (r) => r.rows.map((x) => `  ${x.model}: ${x.params} parameters, ${x.bytes} bytes\n`).join(''),
  });
  return list;
}
