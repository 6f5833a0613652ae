// The drivefm command-line entry point: one commander program, one file per command under src/cli/.
// Not where work happens: each command parses its flags and calls into the library.

import { Command } from 'commander';
import { DrivefmError } from '../core/errors.js';

const program = new Command()
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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof DrivefmError) {
    process.stderr.write(`drivefm: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
