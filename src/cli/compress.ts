// `drivefm compress`: from a teacher checkpoint to the car: distil, prune, recover, quantise, export, report, as a
// resumable step list in --out. Only the flags: the steps are pipeline/compress-steps.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMPRESS_REPORT, compressSteps } from '../pipeline/compress-steps.js';
import { runSteps } from '../pipeline/runner.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

const DEFAULT_SUITES = 'wide,longtail-wide';

interface CompressFlags {
  teacher: string;
  run: string;
  out: string;
  recipe: string;
  scratch?: string;
  suites: string;
  workers: string;
  seed: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerCompressCommand(program: Command): void {
  const command = program
    .command('compress')
    .description(
      'distil a student from a teacher checkpoint, prune, recover, quantise to int8, export vehicle files; report.json and report.md',
    )
    .requiredOption('--teacher <dir>', 'teacher checkpoint folder, e.g. runs/q/models/teacher/instruct');
  addRunOption(command, {
    description: 'run folder holding the lake the teacher was trained on, e.g. runs/q',
    required: true,
    aliases: ['--lake'],
  });
  command
    .requiredOption('--out <dir>', 'compress folder (a rerun resumes here)')
    .option('--recipe <name|file>', `recipe: ${recipeNames().join(' | ')} or a recipe .json`, DEFAULT_RECIPE)
    .option(
      '--scratch <dir>',
      'a student trained from scratch for its report row, e.g. runs/q/models/student/instruct',
    )
    .option(
      '--suites <list>',
      `closed-loop suites of the report, comma-separated: ${SUITE_NAMES.join(' | ')} or suite JSON files`,
      DEFAULT_SUITES,
    )
    .option('--workers <n>', 'worker threads driving episodes (the same output for any number)', '1')
    .option('--seed <n>', 'seed', '0')
    .option('--json', 'print report.json (step lines go to stderr)')
    .option('--quiet', 'no progress output');
  addExamples(
    command,
    'drivefm compress --teacher runs/q/models/teacher/instruct --run runs/q --out runs/q/compress --recipe tiny',
  );
  command.action(async (f: CompressFlags) => {
    const recipe = loadRecipe(f.recipe);
    const seed = parseCount(f.seed, '--seed');
    const suites = f.suites.split(',').map((name) => loadSuite(name.trim()));
    const workers = parseCount(f.workers, '--workers', 1);
    const settings = {
      teacher: f.teacher,
      lake: f.run,
      out: f.out,
      scratch: f.scratch,
      suites,
      workers,
      seed,
      quiet: f.quiet ?? false,
    };
    await runSteps(f.out, compressSteps(recipe, settings), {
      command: 'drivefm compress',
      settings: { teacher: f.teacher, lake: f.run, recipe: f.recipe, seed, scratch: f.scratch ?? null },
      say: (line) => (f.json ? process.stderr : process.stdout).write(line),
    });
    if (f.json)
      process.stdout.write(
        `${JSON.stringify(JSON.parse(readFileSync(join(f.out, COMPRESS_REPORT), 'utf8')))}\n`,
      );
  });
}
