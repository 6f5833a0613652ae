// `drivefm eval`: closed-loop evaluation of a driver (the expert or a trained model) on a named suite, with 95%
// bootstrap intervals, over worker threads if asked, and the model's open-loop figures on the lake's held-out
// frames; text or JSON. Flags in, calls into src/eval.

import { existsSync, statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from '../eval/bootstrap.js';
import { evaluateSpec } from '../eval/closed-loop.js';
import type { DriverSpec } from '../eval/driver-spec.js';
import { evaluateOpenLoop } from '../eval/open-loop.js';
import { openLoopText } from '../eval/open-loop-report.js';
import { suiteJson, suiteTables } from '../eval/report.js';
import { episodeScorer } from '../jobs/episodes.js';
import { QueueRunner } from '../jobs/queue.js';
import { parseRedisUrl, probeRedis } from '../jobs/redis-url.js';
import { JobStore } from '../jobs/store.js';
import { DRIVE_MODES } from '../model/prompt.js';
import {
  CONTROL_RULES,
  DEFAULT_CAUTION,
  DEFAULT_CONTROL,
  FULL_CAUTION_SPEED,
} from '../policy/model-driver.js';
import { loadSuite, SUITE_NAMES } from '../sim/suites.js';
import { BUDGET_FLAG, RECIPE_FLAG, runtimeSettings } from './drive.js';
import { parseControl, parseCount, parseMode, parseShare } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

interface EvalFlags {
  suite: string;
  model?: string;
  mode: string;
  control: string;
  caution: string;
  run?: string;
  openLoopFrames?: string;
  limit?: string;
  seed: string;
  workers: string;
  queue?: string;
  store?: string;
  resamples: string;
  bootstrapSeed: string;
  recipe: string;
  budgetMs?: string;
  json?: boolean;
  quiet?: boolean;
}

/** A vehicle .onnx is a file; a checkpoint is a folder. */
function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** The queue runner of --queue, once Redis answers there. */
async function openQueue(url: string, store: string | undefined, workers: number): Promise<QueueRunner> {
  if (workers > 1)
    throw new UsageError('--workers: with --queue, the workers are `drivefm worker` processes');
  const address = parseRedisUrl(url);
  await probeRedis(address);
  const warn = (line: string) => process.stderr.write(`drivefm: ${line}\n`);
  return new QueueRunner(address, store === undefined ? undefined : new JobStore(store), warn);
}

export function registerEvalCommand(program: Command): void {
  const command = program
    .command('eval')
    .description('closed-loop EPDMS with every sub-metric on a suite; with --run, the open-loop figures too')
    .option(
      '--suite <name|file>',
      `scenario suite: ${SUITE_NAMES.join(' | ')} or a suite JSON file`,
      'standard',
    )
    .option(
      '--model <dir|file>',
      'a checkpoint folder written by drivefm train, or a vehicle .onnx driven through the in-car runtime; without it the expert drives',
    );
  addRunOption(command, {
    description: "run folder whose lake's held-out frames give the open-loop figures (needs --model)",
    required: false,
    aliases: ['--lake'],
  });
  command
    .option('--mode <mode>', `decoding: ${DRIVE_MODES.join(' | ')} (fast skips the chain of thought)`, 'fast')
    .option(
      '--control <rule>',
      `first plan step to controls: ${CONTROL_RULES.join(' | ')} (cautious: the mean of the lower --caution share of the acceleration belief at speed, the median curvature)`,
      DEFAULT_CONTROL,
    )
    .option(
      '--caution <share>',
      `share of the acceleration belief the cautious rule averages from ${FULL_CAUTION_SPEED} m/s on (all of it at standstill), in (0, 1]`,
      String(DEFAULT_CAUTION),
    )
    .addOption(
      new Option(
        '--open-loop-frames <n>',
        'held-out frames whose fast plans are scored open loop, also asked QA and CoT',
      ).default(undefined, "evaluateOpenLoop's"),
    )
    .option('--limit <n>', 'only the first n episodes (a smoke run)')
    .option('--seed <n>', 'decoding seed', '0')
    .option('--workers <n>', 'worker threads driving episodes (the same output for any number)', '1')
    .option(
      '--queue <url>',
      'enqueue the episodes on redis://HOST:PORT for `drivefm worker`s (the same output)',
    )
    .option(
      '--store <dir>',
      'with --queue: also keep job outputs here, keyed by content (re-runs reuse them)',
    )
    .option('--resamples <n>', 'bootstrap resamples of the 95% intervals', String(DEFAULT_RESAMPLES))
    .option('--bootstrap-seed <n>', 'seed of the bootstrap resamples', String(DEFAULT_BOOTSTRAP_SEED))
    .option(...RECIPE_FLAG)
    .option(...BUDGET_FLAG)
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress output');
  addExamples(
    command,
    'drivefm eval --suite standard --workers 2',
    'drivefm eval --model runs/tiny/models/teacher/instruct --run runs/tiny --suite standard --limit 9 --json',
  );
  command.action(async (flags: EvalFlags) => {
    const mode = parseMode(flags.mode);
    const control = parseControl(flags.control);
    const caution = parseShare(flags.caution, '--caution');
    if (flags.store && !flags.queue) throw new UsageError('--store: needs --queue');
    if (flags.run && !flags.model) throw new UsageError('--run: open-loop figures need --model');
    const suite = loadSuite(flags.suite);
    const limit = flags.limit === undefined ? undefined : parseCount(flags.limit, '--limit', 1);
    const seed = parseCount(flags.seed, '--seed');
    const workers = parseCount(flags.workers, '--workers', 1);
    const bootstrap = {
      resamples: parseCount(flags.resamples, '--resamples', 1),
      seed: parseCount(flags.bootstrapSeed, '--bootstrap-seed'),
    };
    const spec: DriverSpec = !flags.model
      ? { kind: 'expert' }
      : isFile(flags.model)
        ? { kind: 'vehicle', file: flags.model, ...runtimeSettings(flags.recipe, flags.budgetMs) }
        : { kind: 'model', checkpoint: flags.model, mode, control, caution, seed };
    if (flags.run && spec.kind === 'vehicle')
      throw new UsageError('--run: the open-loop figures need a checkpoint folder, not a vehicle file');
    const quiet = flags.quiet || flags.json;
    const queue = flags.queue ? await openQueue(flags.queue, flags.store, workers) : undefined;
    const closed = await evaluateSpec(suite, spec, {
      quiet,
      limit,
      workers,
      bootstrap,
      scorer: queue && episodeScorer(queue),
    }).finally(() => queue?.close());
    const frames =
      flags.openLoopFrames === undefined
        ? undefined
        : parseCount(flags.openLoopFrames, '--open-loop-frames', 1);
    const open =
      flags.model && flags.run
        ? await evaluateOpenLoop(flags.model, flags.run, { seed, frames, bootstrap, quiet })
        : null;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ closedLoop: suiteJson(closed), openLoop: open })}\n`);
      return;
    }
    process.stdout.write(suiteTables(closed));
    if (open) process.stdout.write(`\n${openLoopText(open)}`);
  });
}
