// Config parsing at the edge: JSON files and objects checked against strict zod schemas.
// Errors name the file and the dotted field path. Not where the schemas live: each subsystem owns its own.

import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError, UnknownNameError } from './errors.js';

/**
 * Parses `value` with `schema`; on failure throws InputError naming `file` and the first bad field (its path
 * after `at`, the place of `value` inside the file: `steps.3.result.x`).
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  at: readonly PropertyKey[] = [],
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [...at, ...(issue?.path ?? [])];
  const field = path.length > 0 ? path.map(String).join('.') : '(root)';
  const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more issues)` : '';
  throw new InputError({ file, field, message: `${issue?.message ?? 'invalid'}${more}` });
}

/** Reads a JSON file and parses it with `schema`; unreadable or malformed JSON also names the file. */
export function loadJsonConfig<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError({ file, message: 'cannot read file', cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputError({ file, message: `not valid JSON (${(cause as Error).message})`, cause });
  }
  return parseConfig(schema, value, file);
}

/**
 * `record[name]` when `name` is one of the record's own keys (so 'constructor' or 'toString' are not names);
 * otherwise an UnknownNameError (a UsageError: exit 2) naming `what` and listing the known names.
 */
export function lookup<K extends string, V>(record: Readonly<Record<K, V>>, name: string, what: string): V {
  if (Object.hasOwn(record, name)) return record[name as K];
  throw new UnknownNameError(what, name, Object.keys(record));
}
