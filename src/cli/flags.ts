// Parsing of numeric CLI flags with errors that name the flag. Not the commands (one file each).

import { UsageError } from '../core/errors.js';

/** A non-negative integer flag value. */
export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`${flag}: expected an integer >= 0, got '${value}'`);
  }
  return n;
}
