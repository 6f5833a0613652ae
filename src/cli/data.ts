// `drivefm data generate`, `data on-policy`, `data stats` and `data verify`: flags in, calls into src/data/,
// results out. Not where generation, queries or checks happen (data/generate.ts, on-policy.ts, stats.ts, verify.ts).

import type { Command } from 'commander';
import { generateLake } from '../data/generate.js';
import { LakeReader } from '../data/lake-reader.js';
import { DATA_PRESET_NAMES } from '../data/presets.js';
import { type LakeStats, lakeStats } from '../data/stats.js';
import { assertIntact, verifyLake } from '../data/verify.js';
import { driveOnPolicy } from '../fleet/on-policy.js';
import { DRIVE_MODES } from '../model/prompt.js';
import { parseCount, parseMode } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

const RUN = 'run folder, e.g. runs/NAME';

export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('generate and inspect the data lake');

  const generate = data
    .command('generate')
    .description('roll out the expert on a preset of scenarios and write the lake under the run folder')
    .requiredOption('--preset <name>', `data preset: ${DATA_PRESET_NAMES.join(' | ')}`);
  addRunOption(generate, { description: RUN, required: true, aliases: ['--out'] })
    .option('--seed <n>', 'base seed of the scenario seeds', '0')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output');
  addExamples(generate, 'drivefm data generate --preset tiny --run runs/tiny');
  generate.action(
    async (opts: { preset: string; run: string; seed: string; json?: boolean; quiet?: boolean }) => {
      const seed = parseCount(opts.seed, '--seed');
      const { generateDeps } = await import('../data/deps.js'); // loads the simulator only when generating
      const started = performance.now();
      const summary = await generateLake(
        { preset: opts.preset, out: opts.run, seed, quiet: opts.quiet || opts.json },
        generateDeps(),
      );
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ run: opts.run, ...summary, seconds })}\n`
          : `${opts.run}: ${summary.clips} clips (${summary.written} written, ${summary.skipped} already there), ` +
              `${summary.frames} frames written in ${seconds.toFixed(1)} s\n`,
      );
    },
  );

  const onPolicy = data
    .command('on-policy')
    .description(
      'drive training scenarios with a model; the expert takes over at each frame to label it (DAgger)',
    )
    .requiredOption('--model <dir>', 'checkpoint folder `drivefm train` wrote');
  addRunOption(onPolicy, { description: `${RUN}, holding the lake`, required: true, aliases: ['--out'] })
    .option('--mode <mode>', `decoding: ${DRIVE_MODES.join(' | ')}`, 'fast')
    .option('--episodes <n>', 'episodes per scenario family', '8')
    .option('--round <n>', 'round of the flywheel: each drives other scenarios', '0')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output');
  addExamples(
    onPolicy,
    'drivefm data on-policy --model runs/tiny/models/teacher/instruct --run runs/tiny --round 1',
  );
  onPolicy.action(
    async (opts: {
      model: string;
      run: string;
      mode: string;
      episodes: string;
      round: string;
      json?: boolean;
      quiet?: boolean;
    }) => {
      const summary = await driveOnPolicy({
        model: opts.model,
        out: opts.run,
        mode: parseMode(opts.mode),
        episodesPerFamily: parseCount(opts.episodes, '--episodes', 1),
        round: parseCount(opts.round, '--round'),
        quiet: opts.quiet || opts.json,
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ run: opts.run, ...summary })}\n`
          : `${opts.run}: ${summary.clips} on-policy clips (${summary.written} written, ${summary.skipped} ` +
              `already there), ${summary.frames} frames\n`,
      );
    },
  );

  const stats = data.command('stats').description('count rows per table, label category and scenario family');
  addRunOption(stats, { description: RUN, required: true, positional: true }).option(
    '--json',
    'print one JSON object',
  );
  addExamples(stats, 'drivefm data stats --run runs/tiny');
  stats.action(async ({ run, json }: { run: string; json?: boolean }) => {
    const lake = await LakeReader.open(run);
    try {
      const counts = await lakeStats(lake);
      process.stdout.write(json ? `${JSON.stringify(counts)}\n` : formatStats(run, counts));
    } finally {
      await lake.close();
    }
  });

  const verify = data
    .command('verify')
    .description('read every page of every lake file; exit 2 naming the damaged ones');
  addRunOption(verify, { description: RUN, required: true, positional: true }).option(
    '--json',
    'print the counts as JSON',
  );
  addExamples(verify, 'drivefm data verify --run runs/tiny');
  verify.action(async ({ run, json }: { run: string; json?: boolean }) => {
    const verification = await verifyLake(run);
    assertIntact(verification);
    process.stdout.write(
      json
        ? `${JSON.stringify({ run, files: verification.files, rows: verification.rows })}\n`
        : `${run}: ${verification.files} lake files intact, ${verification.rows} rows read\n`,
    );
  });
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return cells
    .map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  '))
    .join('\n');
}

function formatStats(run: string, s: LakeStats): string {
  const sections = [
    `lake of ${run}`,
    table(['table', 'rows'], Object.entries(s.tables)),
    table(
      ['label category', 'labels', 'qa'],
      Object.entries(s.categories).map(([c, n]) => [c, n.labels, n.qa]),
    ),
    table(
      ['scenario family', 'clips', 'frames', 'train', 'val', 'test'],
      Object.entries(s.families).map(([f, n]) => [
        f,
        n.clips,
        n.frames,
        n.splits.train,
        n.splits.val,
        n.splits.test,
      ]),
    ),
  ];
  if (s.uncommittedClips > 0) {
    sections.push(
      `${s.uncommittedClips} uncommitted clips (an interrupted generate; rerun it to complete them)`,
    );
  }
  return `${sections.join('\n\n')}\n`;
}
