// `drivefm eval`: closed-loop evaluation of a driver on a named suite, as text or JSON. Flags in, calls into
// src/eval, results out. Not the evaluation (eval/closed-loop.ts).

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { evaluateSuite } from '../eval/closed-loop.js';
import { suiteJson, suiteText } from '../eval/report.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';
import { parseCount } from './flags.js';

interface EvalFlags {
  suite: string;
  driver: string;
  limit?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('drive every scenario of a suite in closed loop and print EPDMS with every sub-metric')
    .option(
      '--suite <name|file>',
      `scenario suite: ${SUITE_NAMES.join(' | ')} or a suite JSON file`,
      'standard',
    )
    .option('--driver <name>', 'who drives: expert', 'expert')
    .option('--limit <n>', 'only the first n episodes (a smoke run)')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress output')
    .action((flags: EvalFlags) => {
      if (flags.driver !== 'expert')
        throw new UsageError(`--driver: unknown driver '${flags.driver}'; known: expert`);
      const suite = loadSuite(flags.suite);
      const limit = flags.limit === undefined ? undefined : parseCount(flags.limit, '--limit');
      const result = evaluateSuite(suite, () => new ExpertDriver(), {
        quiet: flags.quiet || flags.json,
        limit,
      });
      process.stdout.write(flags.json ? `${JSON.stringify(suiteJson(result))}\n` : suiteText(result));
    });
}
