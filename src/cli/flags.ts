// Parsing of CLI flag values shared by commands, with errors that name the flag. Not the commands (one file each).
// Numbers are plain decimals only: no hex (0x10), exponent (1e3), sign (+3, -0), blanks or trailing dot (5.).

import { UsageError } from '../core/errors.js';
import { DRIVE_MODES, type DriveMode } from '../model/prompt.js';
import { CONTROL_RULES, type ControlRule } from '../policy/model-driver.js';

const PLAIN_INTEGER = /^[0-9]+$/;
const PLAIN_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** An integer flag value of at least `min`, written as decimal digits. */
export function parseCount(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (!PLAIN_INTEGER.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${value}'`);
  }
  return n;
}

/** A flag value that must be one of `choices`. */
function parseChoice<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  const choice = choices.find((c) => c === value);
  if (choice === undefined) {
    const listed = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
    throw new UsageError(`${flag}: expected ${listed}, got '${value}'`);
  }
  return choice;
}

/** A --mode value: how a model decodes (fast skips the chain of thought). */
export function parseMode(value: string): DriveMode {
  return parseChoice(value, '--mode', DRIVE_MODES);
}

/** A --control value: how the model's first plan step becomes the controls held until the next replan. */
export function parseControl(value: string): ControlRule {
  return parseChoice(value, '--control', CONTROL_RULES);
}

/** A real flag value in (0, max], written as a plain decimal (0.5, 1, 0.0003). */
function parseDecimal(value: string, flag: string, max: number): number {
  const x = Number(value);
  if (!PLAIN_DECIMAL.test(value) || !(x > 0 && x <= max)) {
    const range = max === Number.POSITIVE_INFINITY ? '> 0' : `in (0, ${max}]`;
    throw new UsageError(`${flag}: expected a decimal number ${range}, got '${value}'`);
  }
  return x;
}

/** A --caution value: a share in (0, 1], written as a plain decimal (0.5, 1). */
export function parseShare(value: string, flag: string): number {
  return parseDecimal(value, flag, 1);
}

/** A positive rate such as --lr, written as a plain decimal (0.0003, not 3e-4). */
export function parseRate(value: string, flag: string): number {
  return parseDecimal(value, flag, Number.POSITIVE_INFINITY);
}

/** An optional integer flag value of at least `min`: undefined when the flag is absent. */
export function parseOptionalCount(value: string | undefined, flag: string, min = 0): number | undefined {
  return value === undefined ? undefined : parseCount(value, flag, min);
}
