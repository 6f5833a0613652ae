// `drivefm compress`: from a teacher checkpoint to a smaller student: distil, prune, recover, report, as a
// resumable step list in --out. Only the flags: the steps are pipeline/compress-steps.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMPRESS_REPORT, compressSteps } from '../pipeline/compress-steps.js';
import { runSteps } from '../pipeline/runner.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

interface CompressFlags {
  teacher: string;
  run: string;
  out: string;
  recipe: string;
  seed: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerCompressCommand(program: Command): void {
  const command = program
    .command('compress')
    .description(
      'distil a student from a teacher checkpoint, prune it, recover it; report.json and report.md',
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
    const settings = { teacher: f.teacher, lake: f.run, out: f.out, seed, quiet: f.quiet ?? false };
    await runSteps(f.out, compressSteps(recipe, settings), {
      command: 'drivefm compress',
      settings: { teacher: f.teacher, lake: f.run, recipe: f.recipe, seed },
      say: (line) => (f.json ? process.stderr : process.stdout).write(line),
    });
    if (f.json)
      process.stdout.write(
        `${JSON.stringify(JSON.parse(readFileSync(join(f.out, COMPRESS_REPORT), 'utf8')))}\n`,
      );
  });
}
