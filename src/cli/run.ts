// `drivefm run`: the whole pipeline as far as it exists, on one preset, into one run folder: the expert on the
// standard suite (the simulator's own check), the data lake, then a closed-loop evaluation; a summary.json
// at the end. Training stages join here as they land. Orchestration only; each step lives in its module.

import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../core/atomic.js';
import { UsageError } from '../core/errors.js';
import { generateDeps } from '../data/deps.js';
import { generateLake } from '../data/generate.js';
import { DATA_PRESET_NAMES } from '../data/presets.js';
import { evaluateSuite } from '../eval/closed-loop.js';
import { suiteJson, suiteText } from '../eval/report.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { loadSuite } from '../sim/suites.js';
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
    .description(
      'run the pipeline on a preset: simulate, generate the lake, evaluate; writes OUT/summary.json',
    )
    .option('--preset <name>', `pipeline preset: ${DATA_PRESET_NAMES.join(' | ')}`, 'small')
    .requiredOption('--out <dir>', 'run folder, e.g. runs/quickstart')
    .option('--seed <n>', 'base seed', '0')
    .option('--quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      if (!(DATA_PRESET_NAMES as readonly string[]).includes(flags.preset)) {
        throw new UsageError(
          `--preset: unknown preset '${flags.preset}'; known: ${DATA_PRESET_NAMES.join(', ')}`,
        );
      }
      const seed = parseCount(flags.seed, '--seed');
      const started = performance.now();
      const say = (line: string) => process.stdout.write(line);

      say('1/3 simulate: the expert on the standard suite\n');
      const expert = evaluateSuite(loadSuite('standard'), () => new ExpertDriver(), { quiet: flags.quiet });
      say(suiteText(expert));

      say(`2/3 data: generate the ${flags.preset} lake in ${flags.out}\n`);
      const data = await generateLake(
        { preset: flags.preset, out: flags.out, seed, quiet: flags.quiet },
        generateDeps(),
      );
      say(
        `  ${data.clips} clips (${data.written} written, ${data.skipped} already there), ${data.frames} frames\n`,
      );

      say('3/3 evaluate: the expert on the longtail suite\n');
      const longtail = evaluateSuite(loadSuite('longtail'), () => new ExpertDriver(), { quiet: flags.quiet });
      say(suiteText(longtail));

      const summary = {
        preset: flags.preset,
        seed,
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        simulate: suiteJson(expert),
        data,
        evaluate: { longtail: suiteJson(longtail) },
      };
      const file = join(flags.out, 'summary.json');
      writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
      say(`done in ${summary.seconds} s: ${file}\n`);
    });
}
