// `drivefm report RUN`: the table of what each training stage changed and how the models drive, from the run
// folder's report.json; `--markdown RUN [RUN...]`: the results table over runs of one preset (one per seed).
// Not where the figures are measured (cli/run.ts, src/eval).

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { collectResults, resultsMarkdown } from '../eval/results-table.js';
import { rlReportText, rlRows } from '../eval/rl-report.js';
import { loadReport, reportText } from '../eval/stage-report.js';
import { addExamples, addRunOption } from './shape.js';

export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description('print the stage-by-stage report of a run folder, or the results table over several');
  addRunOption(command, {
    description: 'run folder written by drivefm run; repeat it for several (only with --markdown)',
    required: true,
    positional: true,
    many: true,
  })
    .option('--json', 'print the report as JSON')
    .option('--markdown', 'print closed-loop EPDMS over the runs (mean, min-max) as a Markdown table');
  addExamples(
    command,
    'drivefm report --run runs/quickstart',
    'drivefm report --markdown --run runs/seed0 --run runs/seed1 --run runs/seed2',
  );
  command.action(({ run: runs, ...flags }: { run: string[]; json?: boolean; markdown?: boolean }) => {
    if (flags.markdown) {
      if (flags.json) throw new UsageError('report: --json and --markdown exclude each other');
      const results = collectResults(runs.map((run) => ({ run, report: loadReport(run) })));
      process.stdout.write(resultsMarkdown(results));
      return;
    }
    if (runs.length !== 1) {
      throw new UsageError(`report: ${runs.length} run folders given; several need --markdown`);
    }
    const run = runs[0]!;
    const report = loadReport(run);
    const rl = rlRows(run, report.closedLoop);
    process.stdout.write(
      flags.json ? `${JSON.stringify({ ...report, rl })}\n` : reportText(report) + rlReportText(rl),
    );
  });
}
