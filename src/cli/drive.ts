// `drivefm drive`: one episode driven by a vehicle .onnx through the in-car runtime: its score, the fallbacks and
// the p50/p99 decision latency; text or JSON. Also the runtime flags `drivefm eval` shares. Flags in, calls into src/.

import type { Command } from 'commander';
import { scoreWith } from '../eval/closed-loop.js';
import { runtimeText } from '../eval/report.js';
import { loadVehicleRuntime } from '../runtime/load.js';
import { summariseStats } from '../runtime/stats.js';
import { createScenario } from '../sim/scenarios/index.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import { loadRecipe, type Recipe, recipeNames } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import { parseCount, parseRate } from './flags.js';

interface DriveFlags {
  model: string;
  family: string;
  seed: string;
  recipe: string;
  budgetMs?: string;
  json?: boolean;
}

export const RECIPE_FLAG = [
  '--recipe <name|file>',
  `recipe whose runtime settings the car uses: ${recipeNames().join(' | ')} or a .json`,
  DEFAULT_RECIPE,
] as const;
export const BUDGET_FLAG = [
  '--budget-ms <ms>',
  "latency budget per decision [ms] (default: the recipe's runtime.budgetMs)",
] as const;

/** The runtime settings of --recipe, with --budget-ms over the recipe's budget. */
export function runtimeSettings(recipe: string, budgetMs: string | undefined): Recipe['runtime'] {
  const settings = loadRecipe(recipe).runtime;
  return budgetMs === undefined ? settings : { ...settings, budgetMs: parseRate(budgetMs, '--budget-ms') };
}

export function registerDriveCommand(program: Command): void {
  program
    .command('drive')
    .description(
      'drive one scenario with a vehicle .onnx through the in-car runtime: score, fallbacks, latency',
    )
    .requiredOption('--model <file>', 'a vehicle .onnx (compress writes it)')
    .requiredOption('--family <name>', `scenario family: ${SCENARIO_FAMILIES.join(' | ')}`)
    .option('--seed <n>', 'scenario seed', '0')
    .option(...RECIPE_FLAG)
    .option(...BUDGET_FLAG)
    .option('--json', 'print JSON')
    .action(async (flags: DriveFlags) => {
      const seed = parseCount(flags.seed, '--seed');
      const scenario = createScenario(flags.family, seed); // checks the family
      const runtime = loadVehicleRuntime(flags.model, runtimeSettings(flags.recipe, flags.budgetMs));
      try {
        const score = scoreWith(runtime, { family: scenario.family, seed });
        const stats = summariseStats(runtime.episodeStats());
        const result = {
          family: scenario.family,
          seed,
          driver: runtime.name,
          epdms: score.epdms,
          pdms: score.pdms,
          atFaultCollision: score.atFaultCollision,
          ...stats,
        };
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        process.stdout.write(
          `${runtime.name} on ${scenario.family} seed ${seed}: EPDMS ${score.epdms.toFixed(3)}  PDMS ${score.pdms.toFixed(3)}` +
            `${score.atFaultCollision ? '  at-fault collision' : ''}\n${runtimeText(stats)}\n`,
        );
      } finally {
        await runtime.dispose();
      }
    });
}
