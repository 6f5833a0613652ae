// `drivefm run`: the whole pipeline on one preset, into one run folder: the expert on the standard suite (the
// simulator's own check), the data lake, every training stage for a teacher and a student with rounds of
// on-policy data between stages, then open- and closed-loop evaluation; report.json and summary.json at the end.
// Only the flags: the recipe is configs/<preset>.json, the steps pipeline/run-steps.ts, resumed by pipeline/runner.ts.

import { join } from 'node:path';
import type { Command } from 'commander';
import { loadReport, REPORT_FILE, reportText } from '../eval/stage-report.js';
import { pipelineSteps, type RunSettings, SUMMARY_FILE } from '../pipeline/run-steps.js';
import { runSteps, TIMES_FILE } from '../pipeline/runner.js';
import { loadRecipe, type Recipe, recipeNames } from '../train/recipe.js';
import { parseCount } from './flags.js';

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
    .option(
      '--preset <name|file>',
      `recipe: ${recipeNames().join(' | ')} (configs/NAME.json) or a recipe file of your own`,
      'small',
    )
    .requiredOption('--out <dir>', 'run folder, e.g. runs/quickstart')
    .option('--seed <n>', 'base seed', '0')
    .option('--quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      const recipe = loadRecipe(flags.preset); // before anything runs: a bad name or file costs nothing
      const seed = parseCount(flags.seed, '--seed');
      await runPipeline(recipe, {
        preset: flags.preset,
        out: flags.out,
        seed,
        quiet: flags.quiet ?? false,
      });
    });
}

async function runPipeline(p: Recipe, settings: RunSettings): Promise<void> {
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
