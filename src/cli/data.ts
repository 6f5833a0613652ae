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

export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('generate and inspect the data lake');

  data
    .command('generate')
    .description('roll out the expert on a preset of scenarios and write the lake under the run folder')
    .requiredOption('--preset <name>', `data preset: ${DATA_PRESET_NAMES.join(' | ')}`)
    .requiredOption('--out <dir>', 'run folder, e.g. runs/NAME')
    .option('--seed <n>', 'base seed of the scenario seeds', '0')
    .option('--quiet', 'no progress output')
    .action(async (opts: { preset: string; out: string; seed: string; quiet?: boolean }) => {
      const seed = parseCount(opts.seed, '--seed');
      const { generateDeps } = await import('../data/deps.js'); // loads the simulator only when generating
      const started = performance.now();
      const summary = await generateLake(
        { preset: opts.preset, out: opts.out, seed, quiet: opts.quiet },
        generateDeps(),
      );
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        `${opts.out}: ${summary.clips} clips (${summary.written} written, ${summary.skipped} already there), ` +
          `${summary.frames} frames written in ${seconds.toFixed(1)} s\n`,
      );
    });

  data
    .command('on-policy')
    .description(
      'drive training scenarios with a model; the expert takes over at each frame to label it (DAgger)',
    )
    .requiredOption('--model <dir>', 'checkpoint folder `drivefm train` wrote')
    .requiredOption('--out <dir>', 'run folder holding the lake, e.g. runs/NAME')
    .option('--mode <mode>', `decoding: ${DRIVE_MODES.join(' | ')}`, 'fast')
    .option('--episodes <n>', 'episodes per scenario family', '8')
    .option('--round <n>', 'round of the flywheel: each drives other scenarios', '0')
    .option('--quiet', 'no progress output')
    .action(
      async (opts: {
        model: string;
        out: string;
        mode: string;
        episodes: string;
        round: string;
        quiet?: boolean;
      }) => {
        const summary = await driveOnPolicy({
          model: opts.model,
          out: opts.out,
          mode: parseMode(opts.mode),
          episodesPerFamily: parseCount(opts.episodes, '--episodes', 1),
          round: parseCount(opts.round, '--round'),
          quiet: opts.quiet,
        });
        process.stdout.write(
          `${opts.out}: ${summary.clips} on-policy clips (${summary.written} written, ${summary.skipped} already ` +
            `there), ${summary.frames} frames\n`,
        );
      },
    );

  data
    .command('stats')
    .description('count rows per table, label category and scenario family')
    .argument('<run>', 'run folder, e.g. runs/NAME')
    .option('--json', 'print one JSON object')
    .action(async (run: string, opts: { json?: boolean }) => {
      const lake = await LakeReader.open(run);
      try {
        const stats = await lakeStats(lake);
        process.stdout.write(opts.json ? `${JSON.stringify(stats)}\n` : formatStats(run, stats));
      } finally {
        await lake.close();
      }
    });

  data
    .command('verify')
    .description('read every page of every lake file; exit 2 naming the damaged ones')
    .argument('<run>', 'run folder, e.g. runs/NAME')
    .action(async (run: string) => {
      const verification = await verifyLake(run);
      assertIntact(verification);
      process.stdout.write(
        `${run}: ${verification.files} lake files intact, ${verification.rows} rows read\n`,
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
