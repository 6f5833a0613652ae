// `drivefm serve RUN`: the dashboard of a run folder on a loopback address, printing its URL; runs until stopped.
// Flags in, calls into src/dashboard. Not the server itself (dashboard/server.ts).

import type { Command } from 'commander';
import { serve } from '../dashboard/server.js';
import { parseCount } from './flags.js';
import { addExamples, addRunOption } from './shape.js';

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('serve the dashboard of a run folder (read-only) until stopped');
  addRunOption(command, {
    description: 'run folder written by drivefm run (a half-written one shows what is missing)',
    required: true,
    positional: true,
  })
    .option('--host <address>', 'address to bind; a non-loopback one needs --allow-remote', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--allow-remote', 'allow binding a non-loopback address (the run folder becomes readable there)')
    .option('--json', 'print the URL as JSON once listening');
  addExamples(command, 'drivefm serve --run runs/quickstart --port 8080');
  command.action(
    async ({
      run,
      ...flags
    }: {
      run: string;
      host: string;
      port: string;
      allowRemote?: boolean;
      json?: boolean;
    }) => {
      const port = parseCount(flags.port, '--port');
      const { url } = await serve({ run, host: flags.host, port, allowRemote: flags.allowRemote === true });
      process.stdout.write(
        flags.json ? `${JSON.stringify({ run, url })}\n` : `dashboard of ${run} at ${url}\n`,
      );
    },
  );
}
