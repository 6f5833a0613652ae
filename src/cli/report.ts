// `drivefm report RUN`: the table of what each training stage changed and how the models drive, from the run
// folder's report.json. Not where the figures are measured (cli/run.ts, src/eval).

import type { Command } from 'commander';
import { loadReport, reportText } from '../eval/stage-report.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('print the stage-by-stage report of a run folder')
    .argument('<run>', 'run folder written by drivefm run')
    .option('--json', 'print the report as JSON')
    .action((run: string, flags: { json?: boolean }) => {
      const report = loadReport(run);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : reportText(report));
    });
}
