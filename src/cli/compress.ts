// `drivefm compress`: from a teacher checkpoint to a smaller student: distil, prune, recover, report, as a
// resumable step list in --out. Only the flags: the steps are pipeline/compress-steps.ts.

import type { Command } from 'commander';
import { compressSteps } from '../pipeline/compress-steps.js';
import { runSteps } from '../pipeline/runner.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount } from './flags.js';

interface CompressFlags {
  teacher: string;
  lake: string;
  out: string;
  recipe: string;
  seed: string;
  quiet?: boolean;
}

export function registerCompressCommand(program: Command): void {
  program
    .command('compress')
    .description(
      'distil a student from a teacher checkpoint, prune it, recover it; report.json and report.md',
    )
    .requiredOption('--teacher <dir>', 'teacher checkpoint folder, e.g. runs/q/models/teacher/instruct')
    .requiredOption('--lake <dir>', 'run folder holding the lake the teacher was trained on, e.g. runs/q')
    .requiredOption('--out <dir>', 'compress folder (a rerun resumes here)')
    .option('--recipe <name|file>', `recipe: ${recipeNames().join(' | ')} or a recipe .json`, DEFAULT_RECIPE)
    .option('--seed <n>', 'seed', '0')
    .option('--quiet', 'no progress output')
    .action(async (f: CompressFlags) => {
      const recipe = loadRecipe(f.recipe);
      const seed = parseCount(f.seed, '--seed');
      const settings = { teacher: f.teacher, lake: f.lake, out: f.out, seed, quiet: f.quiet ?? false };
      await runSteps(f.out, compressSteps(recipe, settings), {
        command: 'drivefm compress',
        settings: { teacher: f.teacher, lake: f.lake, recipe: f.recipe, seed },
        say: (line) => process.stdout.write(line),
      });
    });
}
