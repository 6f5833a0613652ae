// Parsing of CLI flag values shared by commands, with errors that name the flag. Not the commands (one file each).

import { UsageError } from '../core/errors.js';
import { DRIVE_MODES, type DriveMode } from '../train/sequences.js';

/** An integer flag value of at least `min`. */
export function parseCount(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${value}'`);
  }
  return n;
}

/** A --mode value: how a model decodes (fast skips the chain of thought). */
export function parseMode(value: string): DriveMode {
  const mode = DRIVE_MODES.find((m) => m === value);
  if (!mode) throw new UsageError(`--mode: expected ${DRIVE_MODES.join(' or ')}, got '${value}'`);
  return mode;
}

/** An optional integer flag value of at least `min`: undefined when the flag is absent. */
export function parseOptionalCount(value: string | undefined, flag: string, min = 0): number | undefined {
  return value === undefined ? undefined : parseCount(value, flag, min);
}
