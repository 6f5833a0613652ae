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
import { addExamples, addRunOption } from './shape.js';

interface RunFlags {
  preset: string;
  run: string;
  seed: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('the pipeline on a preset: simulate, generate the lake, train every stage, evaluate, report')
    .option(
      '--preset <name|file>',
      `recipe: ${recipeNames().join(' | ')} (configs/NAME.json) or a recipe file of your own`,
      'small',
    )
    .option('--seed <n>', 'base seed', '0')
    .option('--json', 'print report.json at the end (step lines go to stderr)')
    .option('--quiet', 'no progress output');
  addRunOption(command, {
    description: 'run folder, e.g. runs/quickstart (a rerun resumes it)',
    required: true,
    aliases: ['--out'],
  });
  addExamples(
    command,
    'drivefm run --preset small --run runs/quickstart',
    'drivefm run --preset tiny --run runs/tiny --seed 1 --json',
  );
  command.action(async (flags: RunFlags) => {
    const recipe = loadRecipe(flags.preset); // before anything runs: a bad name or file costs nothing
    const seed = parseCount(flags.seed, '--seed');
    await runPipeline(recipe, {
      preset: flags.preset,
      out: flags.run,
      seed,
      quiet: flags.quiet ?? false,
      json: flags.json ?? false,
    });
  });
}

async function runPipeline(p: Recipe, settings: RunSettings & { json: boolean }): Promise<void> {
  const { preset, out, seed, json } = settings;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(line);
  await runSteps(out, pipelineSteps(p, settings), {
    command: 'drivefm run',
    settings: { preset, seed },
    say,
  });
  if (json) process.stdout.write(`${JSON.stringify(loadReport(out))}\n`);
  else say(reportText(loadReport(out)));
  say(
    `done: ${join(out, REPORT_FILE)}, ${join(out, SUMMARY_FILE)} (wall times in ${join(out, TIMES_FILE)})\n`,
  );
}
