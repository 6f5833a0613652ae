// `drivefm compare`: two drivers (the expert or trained models) on the same suite episodes, and the paired
// difference B minus A of every score with its 95% interval, per family too; text tables or JSON. Flags in only.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from '../eval/bootstrap.js';
import { compareSpecs } from '../eval/compare.js';
import { comparisonJson, comparisonText } from '../eval/compare-report.js';
import type { DriverSpec } from '../eval/driver-spec.js';
import { DRIVE_MODES } from '../model/prompt.js';
import { CONTROL_RULES, DEFAULT_CAUTION, DEFAULT_CONTROL } from '../policy/model-driver.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';
import { parseControl, parseCount, parseMode, parseShare } from './flags.js';

interface CompareFlags {
  a: string;
  b: string;
  suite: string;
  limit?: string;
  workers: string;
  resamples: string;
  bootstrapSeed: string;
  json?: boolean;
  quiet?: boolean;
}

const SETTINGS = ['mode', 'control', 'caution', 'seed'] as const; // what may follow a checkpoint folder
const DRIVER_HELP =
  `'expert', or a checkpoint folder with optional decoding settings: DIR[,mode=${DRIVE_MODES.join('|')}]` +
  `[,control=${CONTROL_RULES.join('|')}][,caution=SHARE][,seed=N] (defaults: mode=fast, control=${DEFAULT_CONTROL}, ` +
  `caution=${DEFAULT_CAUTION}, seed=0)`;

const EXAMPLES = `
Examples:
  $ drivefm compare --a expert --b runs/quickstart/models/teacher/instruct --suite standard
  $ drivefm compare --a runs/q/models/teacher/instruct,mode=fast --b runs/q/models/teacher/instruct,mode=think \\
      --suite longtail-wide --workers 2 --json`;

/** A --a or --b value as a driver spec; errors name the flag and the setting. */
export function parseDriver(value: string, flag: string): DriverSpec {
  if (value === 'expert') return { kind: 'expert' };
  const [checkpoint = '', ...settings] = value.split(',');
  if (!existsSync(checkpoint)) throw new UsageError(`${flag}: no checkpoint folder '${checkpoint}'`);
  const given = new Map<string, string>();
  for (const setting of settings) {
    const [key = '', v] = setting.split('=', 2);
    if (v === undefined || !(SETTINGS as readonly string[]).includes(key)) {
      const known = SETTINGS.map((k) => `${k}=`).join(', ');
      throw new UsageError(`${flag}: expected ${known} after the folder, got '${setting}'`);
    }
    given.set(key, v);
  }
  const named = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${flag}: ${error.message.replace(/^--/, '')}`);
      throw error;
    }
  };
  return {
    kind: 'model',
    checkpoint,
    mode: named(() => parseMode(given.get('mode') ?? 'fast')),
    control: named(() => parseControl(given.get('control') ?? DEFAULT_CONTROL)),
    caution: named(() => parseShare(given.get('caution') ?? String(DEFAULT_CAUTION), '--caution')),
    seed: named(() => parseCount(given.get('seed') ?? '0', '--seed')),
  };
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'two drivers on the same suite episodes: B minus A for EPDMS, PDMS and every sub-metric with a 95% paired bootstrap interval, per family too',
    )
    .requiredOption('--a <driver>', `driver A: ${DRIVER_HELP}`)
    .requiredOption('--b <driver>', 'driver B, written as --a')
    .option(
      '--suite <name|file>',
      `scenario suite: ${SUITE_NAMES.join(' | ')} or a suite JSON file`,
      'standard',
    )
    .option('--limit <n>', 'only the first n episodes (a smoke run)')
    .option('--workers <n>', 'worker threads driving episodes (the same output for any number)', '1')
    .option('--resamples <n>', 'bootstrap resamples of the 95% intervals', String(DEFAULT_RESAMPLES))
    .option('--bootstrap-seed <n>', 'seed of the bootstrap resamples', String(DEFAULT_BOOTSTRAP_SEED))
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress output')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CompareFlags) => {
      const a = parseDriver(flags.a, '--a');
      const b = parseDriver(flags.b, '--b');
      const suite = loadSuite(flags.suite);
      const comparison = await compareSpecs(suite, a, b, {
        quiet: flags.quiet || flags.json,
        limit: flags.limit === undefined ? undefined : parseCount(flags.limit, '--limit', 1),
        workers: parseCount(flags.workers, '--workers', 1),
        bootstrap: {
          resamples: parseCount(flags.resamples, '--resamples', 1),
          seed: parseCount(flags.bootstrapSeed, '--bootstrap-seed'),
        },
      });
      process.stdout.write(
        flags.json ? `${JSON.stringify(comparisonJson(comparison))}\n` : comparisonText(comparison),
      );
    });
}
