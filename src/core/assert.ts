// Precondition checks that throw UsageError with a message saying what was expected.
// Not for validating user input (that is zod at the edges, with InputError).

import { UsageError } from './errors.js';

export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new UsageError(typeof message === 'string' ? message : message());
}

/** Exhaustiveness check for discriminated unions: unreachable when every `kind` is handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new UsageError(`unhandled ${what}: ${JSON.stringify(value)}`);
}
