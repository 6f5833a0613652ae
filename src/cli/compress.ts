// `drivefm compress`: from a teacher checkpoint to the car: distil, prune, recover, quantise, export, report, as a
// resumable step list in --out. Only the flags: the steps are pipeline/compress-steps.ts.

import type { Command } from 'commander';
import { compressSteps } from '../pipeline/compress-steps.js';
import { runSteps } from '../pipeline/runner.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount } from './flags.js';

const DEFAULT_SUITES = 'wide,longtail-wide';

interface CompressFlags {
  teacher: string;
  lake: string;
  out: string;
  recipe: string;
  scratch?: string;
  suites: string;
  workers: string;
  seed: string;
  quiet?: boolean;
}

export function registerCompressCommand(program: Command): void {
  program
    .command('compress')
    .description(
      'distil a student from a teacher checkpoint, prune, recover, quantise to int8, export vehicle files; report.json and report.md',
    )
    .requiredOption('--teacher <dir>', 'teacher checkpoint folder, e.g. runs/q/models/teacher/instruct')
    .requiredOption('--lake <dir>', 'run folder holding the lake the teacher was trained on, e.g. runs/q')
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
    .option('--quiet', 'no progress output')
    .action(async (f: CompressFlags) => {
      const recipe = loadRecipe(f.recipe);
      const seed = parseCount(f.seed, '--seed');
      const suites = f.suites.split(',').map((name) => loadSuite(name.trim()));
      const workers = parseCount(f.workers, '--workers', 1);
      const settings = {
        teacher: f.teacher,
        lake: f.lake,
        out: f.out,
        scratch: f.scratch,
        suites,
        workers,
        seed,
        quiet: f.quiet ?? false,
      };
      await runSteps(f.out, compressSteps(recipe, settings), {
        command: 'drivefm compress',
        settings: { teacher: f.teacher, lake: f.lake, recipe: f.recipe, seed, scratch: f.scratch ?? null },
        say: (line) => process.stdout.write(line),
      });
    });
}
