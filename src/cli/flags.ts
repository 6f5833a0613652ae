// Parsing of numeric CLI flags with errors that name the flag. Not the commands (one file each).

import { UsageError } from '../core/errors.js';

/** An integer flag value of at least `min`. */
export function parseCount(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${value}'`);
  }
  return n;
}

/** An optional integer flag value of at least `min`: undefined when the flag is absent. */
export function parseOptionalCount(value: string | undefined, flag: string, min = 0): number | undefined {
  return value === undefined ? undefined : parseCount(value, flag, min);
}
