// The drivefm command-line entry point: one commander program, one file per command under src/cli/; bin/drivefm.js
// calls main(). Not where work happens: each command parses its flags and calls into the library. Errors end here.

import { Command } from 'commander';
import { EXIT_CODES, reportError } from './errors.js';
import { shapeProgram } from './shape.js';

/** Every command, registered (the walking test in main.test.ts reads it without running anything). */
export const program = shapeProgram(new Command())
  .name('drivefm')
  .description('A driving vision-language-action model, trained and improved in a simulated flywheel.')
  .showHelpAfterError();

// Commands register themselves here, one line each.
(await import('./data.js')).registerDataCommand(program);
(await import('./sim.js')).registerSimCommand(program);
(await import('./eval.js')).registerEvalCommand(program);
(await import('./compare.js')).registerCompareCommand(program);
(await import('./run.js')).registerRunCommand(program);
(await import('./report.js')).registerReportCommand(program);
(await import('./train.js')).registerTrainCommand(program);
(await import('./worker.js')).registerWorkerCommand(program);
(await import('./compress.js')).registerCompressCommand(program);
(await import('./serve.js')).registerServeCommand(program);
(await import('./drive.js')).registerDriveCommand(program);
(await import('./fleet.js')).registerFleetCommand(program);

const DEBUG = process.env.DRIVEFM_DEBUG === '1'; // print the stack of every error

/** Prints one line for `error` (its stack too with DRIVEFM_DEBUG=1) and exits: 2 for input problems, 1 else. */
function fail(error: unknown): never {
  const report = reportError(error);
  const hint = report.kind === 'internal' && !DEBUG ? ' (DRIVEFM_DEBUG=1 prints the stack)' : '';
  process.stderr.write(`drivefm: ${report.line}${hint}\n`);
  if (DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(EXIT_CODES[report.kind]);
}

/** Runs the command line `argv` (process.argv's layout); errors end the process with one line and their exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  // Errors thrown outside the awaited command (stream 'error' events, timers) end the same way.
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}
