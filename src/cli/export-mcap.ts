// `drivefm export-mcap --run RUN EPISODE --out file.mcap`: one recorded episode as MCAP for Foxglove, Lichtblick or
// Rerun; prints its topics and message counts (or JSON). Flags in, calls into dashboard/mcap.ts.

import type { Command } from 'commander';
import { exportEpisodeMcap } from '../dashboard/mcap.js';
import { table } from '../eval/table.js';
import { addExamples, addRunOption } from './shape.js';

export function registerExportMcapCommand(program: Command): void {
  const command = program
    .command('export-mcap')
    .description(
      "write one recorded episode as MCAP with Foxglove's schemas (scene, camera, plan, reasoning)",
    )
    .argument(
      '<episode>',
      'a recorded episode: <eval>/<family>-<seed>, or <family>-<seed> if one eval has it',
    );
  addRunOption(command, { description: 'run folder whose episodes/ holds the episode', required: true })
    .requiredOption('--out <file>', 'MCAP file to write, e.g. jaywalker.mcap')
    .option('--json', 'print what was written as JSON');
  addExamples(
    command,
    'drivefm export-mcap --run runs/quickstart teacher-instruct-think/jaywalker-3 --out jaywalker.mcap',
  );
  command.action(async (episode: string, flags: { run: string; out: string; json?: boolean }) => {
    const written = await exportEpisodeMcap(flags.run, episode, flags.out);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(written)}\n`);
      return;
    }
    const rows = written.topics.map((t) => [t.topic, t.schema, String(t.messages)]);
    process.stdout.write(
      `${written.out}: ${written.episode}, ${(written.bytes / 1024).toFixed(0)} KiB\n\n` +
        table(['topic', 'schema', 'messages'], rows),
    );
  });
}
