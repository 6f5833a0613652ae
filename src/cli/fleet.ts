// `drivefm fleet`: one fleet round: the car model drives the recipe's scenario mix with the teacher in shadow,
// triggers upload clips to the run's lake, the teacher and the expert label them; a round report. Only the flags:
// the round is fleet/round.ts.

import type { Command } from 'commander';
import { fleetRound, roundDir } from '../fleet/round.js';
import { loadRecipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

interface FleetFlags {
  model: string;
  teacher: string;
  run: string;
  round: string;
  recipe: string;
  workers: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerFleetCommand(program: Command): void {
  const command = program
    .command('fleet')
    .description('one fleet round: drive, trigger, upload, label; RUN/round-K/fleet.json and fleet.md')
    .requiredOption('--model <dir>', 'car model checkpoint, e.g. runs/q/models/student/instruct')
    .requiredOption(
      '--teacher <dir>',
      'teacher checkpoint (shadow mode, labels), e.g. runs/q/models/teacher/instruct',
    );
  addRunOption(command, {
    description: 'run folder with the lake the clips go to, e.g. runs/q',
    required: true,
  });
  command
    .option('--round <k>', 'flywheel round (other rounds drive other scenarios)', '0')
    .option('--recipe <name|file>', `recipe: ${recipeNames().join(' | ')} or a recipe .json`, DEFAULT_RECIPE)
    .option('--workers <n>', 'rollout worker threads', '1')
    .option('--json', 'print the round report as JSON')
    .option('--quiet', 'no progress output');
  addExamples(
    command,
    'drivefm fleet --model runs/q/models/student/instruct --teacher runs/q/models/teacher/instruct --run runs/q --round 0',
  );
  command.action(async (f: FleetFlags) => {
    const report = await fleetRound({
      model: f.model,
      teacher: f.teacher,
      run: f.run,
      round: parseCount(f.round, '--round'),
      recipe: loadRecipe(f.recipe),
      workers: parseCount(f.workers, '--workers', 1),
      quiet: (f.quiet || f.json) ?? false,
    });
    if (f.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const fired = report.triggers.filter((t) => t.clips > 0).map((t) => `${t.trigger} ${t.clips}`);
    process.stdout.write(
      `fleet round ${report.round}: ${report.cars.length} cars, ${report.uploads.clips} clips (${report.written} new; ${fired.join(', ') || 'no trigger fired'}), ${report.labels.teacher} teacher labels; report in ${roundDir(f.run, report.round)}/fleet.md\n`,
    );
  });
}
