// `drivefm run`: the whole pipeline on one preset, into one run folder: the expert on the standard suite (the
// simulator's own check), the data lake, every training stage for a teacher and a student with rounds of
// on-policy data between stages, then open- and closed-loop evaluation; report.json and summary.json at the end.
// Only the presets and the flags: the steps are pipeline/run-steps.ts, resumed by pipeline/runner.ts.

import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { loadReport, REPORT_FILE, reportText } from '../eval/stage-report.js';
import { type Pipeline, pipelineSteps, type RunSettings, SUMMARY_FILE } from '../pipeline/run-steps.js';
import { runSteps, TIMES_FILE } from '../pipeline/runner.js';
import { parseCount } from './flags.js';

const CLOSED_LOOP: Pipeline['closedLoop'] = [
  { model: 'teacher', stage: 'cot-sft', mode: 'think' },
  { model: 'teacher', stage: 'cot-short', mode: 'think' },
  { model: 'teacher', stage: 'instruct', mode: 'fast' },
  { model: 'teacher', stage: 'instruct', mode: 'think' },
  { model: 'student', stage: 'instruct', mode: 'fast' },
];

const PIPELINES: Record<string, Pipeline> = {
  // tests and smoke runs: seconds per stage
  tiny: {
    data: 'tiny',
    models: { teacher: 'tiny-teacher', student: 'tiny-student' },
    steps: { pretrain: 20, align: 10, 'cot-sft': 20, 'cot-short': 10, instruct: 10 },
    openLoopFrames: 4,
    adherenceFrames: 8,
    onPolicy: { after: ['cot-short'], episodesPerFamily: 1 },
    episodes: 3,
    closedLoop: CLOSED_LOOP,
  },
  // the quickstart: the whole flow at a size that learns something in minutes on 2 cores
  small: {
    data: 'small',
    models: { teacher: 'small-teacher', student: 'small-student' },
    steps: { pretrain: 2000, align: 350, 'cot-sft': 1200, 'cot-short': 500, instruct: 700 }, // ~16 min for the teacher
    openLoopFrames: 24,
    adherenceFrames: 96,
    onPolicy: { after: ['cot-short'], episodesPerFamily: 12 },
    closedLoop: CLOSED_LOOP,
  },
};

interface RunFlags {
  preset: string;
  out: string;
  seed: string;
  quiet?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('the pipeline on a preset: simulate, generate the lake, train every stage, evaluate, report')
    .option('--preset <name>', `pipeline preset: ${Object.keys(PIPELINES).join(' | ')}`, 'small')
    .requiredOption('--out <dir>', 'run folder, e.g. runs/quickstart')
    .option('--seed <n>', 'base seed', '0')
    .option('--quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      const pipeline = PIPELINES[flags.preset];
      if (!pipeline) {
        throw new UsageError(
          `--preset: unknown preset '${flags.preset}'; known: ${Object.keys(PIPELINES).join(', ')}`,
        );
      }
      const seed = parseCount(flags.seed, '--seed');
      await runPipeline(pipeline, {
        preset: flags.preset,
        out: flags.out,
        seed,
        quiet: flags.quiet ?? false,
      });
    });
}

async function runPipeline(p: Pipeline, settings: RunSettings): Promise<void> {
  const say = (line: string) => process.stdout.write(line);
  const { preset, out, seed } = settings;
  await runSteps(out, pipelineSteps(p, settings), {
    command: 'drivefm run',
    settings: { preset, seed },
    say,
  });
  say(reportText(loadReport(out)));
  say(
    `done: ${join(out, REPORT_FILE)}, ${join(out, SUMMARY_FILE)} (wall times in ${join(out, TIMES_FILE)})\n`,
  );
}
