// The steps of `drivefm compress`: distil a student from the teacher, prune it, recover the pruned model by
// distillation from the unpruned one, then report parameters and bytes (report.json and report.md). Not the
// int8 quantisation and vehicle export (compress/vehicle.ts, not on this branch yet: the list has no step for it).

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { pruneCheckpoint, pruneSummarySchema } from '../compress/prune-checkpoint.js';
import { writeFileAtomic } from '../core/atomic.js';
import { loadModelCheckpoint, WEIGHTS_FILE } from '../model/checkpoint.js';
import type { Recipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import { StepList } from './runner.js';

/** A distillation step's result: its loss before and after. */
const lossesSchema = z.strictObject({ lossBefore: z.number(), lossAfter: z.number() });

export const COMPRESS_REPORT = 'report.json';
export const COMPRESS_MARKDOWN = 'report.md';

export interface CompressSettings {
  readonly teacher: string; // the teacher checkpoint folder
  readonly lake: string; // run folder holding the lake the teacher was trained on
  readonly out: string; // compress folder
  readonly seed: number;
  readonly quiet: boolean;
}

/** One model of the report: its parameters and weight file bytes. */
const compressRowSchema = z.strictObject({
  model: z.string(),
  dir: z.string(),
  params: z.int().positive(),
  bytes: z.int().positive(), // [bytes] model.safetensors
});
export type CompressRow = z.infer<typeof compressRowSchema>;

const DISTILLED = join('models', 'distilled');
const PRUNED_RAW = join('models', 'pruned-raw');
const PRUNED = join('models', 'pruned');

function row(model: string, dir: string): CompressRow {
  const ckpt = loadModelCheckpoint(dir);
  const params = [...ckpt.params.values()].reduce((n, p) => n + p.length, 0);
  return { model, dir, params, bytes: statSync(join(dir, WEIGHTS_FILE)).size };
}

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
  list.add({
    name: 'report',
    params: {},
    outputs: [COMPRESS_REPORT, COMPRESS_MARKDOWN],
    result: z.strictObject({ rows: z.array(compressRowSchema) }),
    run: async () => {
      const rows = [
        row('teacher', teacher),
        row('distilled', join(out, DISTILLED)),
        row('pruned', join(out, PRUNED)),
      ];
      writeFileAtomic(join(out, COMPRESS_REPORT), `${JSON.stringify({ rows }, null, 1)}\n`);
      const lines = rows.map((r) => `| ${r.model} | ${r.params} | ${r.bytes} |`);
      const md = ['| model | parameters | bytes |', '| --- | ---: | ---: |', ...lines].join('\n');
      writeFileAtomic(join(out, COMPRESS_MARKDOWN), `${md}\n`);
      return { rows };
    },
    line: (r) => r.rows.map((x) => `  ${x.model}: ${x.params} parameters, ${x.bytes} bytes\n`).join(''),
  });
  return list;
}
