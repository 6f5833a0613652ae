// `drivefm serve RUN`: the dashboard of a run folder on a loopback address, printing its URL; runs until stopped.
// Flags in, calls into src/dashboard. Not the server itself (dashboard/server.ts).

import type { Command } from 'commander';
import { serve } from '../dashboard/server.js';
import { parseCount } from './flags.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard of a run folder (read-only) until stopped')
    .argument('<run>', 'run folder written by drivefm run (a half-written one shows what is missing)')
    .option('--host <address>', 'address to bind; a non-loopback one needs --allow-remote', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--allow-remote', 'allow binding a non-loopback address (the run folder becomes readable there)')
    .addHelpText(
      'after',
      '\nExample:\n  drivefm serve runs/quickstart --port 8080\n\nExit codes: 0 ok, 2 usage or input error, 1 internal.',
    )
    .action(async (run: string, flags: { host: string; port: string; allowRemote?: boolean }) => {
      const port = parseCount(flags.port, '--port');
      const { url } = await serve({ run, host: flags.host, port, allowRemote: flags.allowRemote === true });
      process.stdout.write(`dashboard of ${run} at ${url}\n`);
    });
}
