// Parsing of CLI flag values shared by commands, with errors that name the flag. Not the commands (one file each).

import { UsageError } from '../core/errors.js';
import { DRIVE_MODES, type DriveMode } from '../model/prompt.js';
import { CONTROL_RULES, type ControlRule } from '../runtime/model-driver.js';

/** An integer flag value of at least `min`. */
export function parseCount(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
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

/** A --caution value: a share in (0, 1]. */
export function parseShare(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x <= 1))
    throw new UsageError(`${flag}: expected a number in (0, 1], got '${value}'`);
  return x;
}

/** An optional integer flag value of at least `min`: undefined when the flag is absent. */
export function parseOptionalCount(value: string | undefined, flag: string, min = 0): number | undefined {
  return value === undefined ? undefined : parseCount(value, flag, min);
}
