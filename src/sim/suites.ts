// Named, versioned scenario suites: fixed lists of (family, seed) that every evaluation runs, stored as JSON in
// configs/suites/. Loading and checking only; running a suite is eval's job.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadJsonConfig } from '../core/config.js';
import { UnknownNameError } from '../core/errors.js';
import { MAX_SCENARIO_SEED, SCENARIO_FAMILIES } from './types.js';

export const SUITE_NAMES = ['standard', 'longtail', 'wide', 'longtail-wide'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

const SUITE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'configs', 'suites');

export const suiteSchema = z.strictObject({
  name: z.string().min(1),
  version: z.number().int().positive(), // bumped whenever the list or a family's generator changes
  description: z.string(),
  episodes: z
    .array(
      z.strictObject({
        family: z.enum(SCENARIO_FAMILIES),
        seed: z.number().int().min(0).max(MAX_SCENARIO_SEED),
      }),
    )
    .min(1),
});

export type Suite = z.infer<typeof suiteSchema>;

/** A suite by name (configs/suites/NAME.json) or by path to a suite file; errors name the file and field. */
export function loadSuite(nameOrPath: string): Suite {
  if ((SUITE_NAMES as readonly string[]).includes(nameOrPath)) {
    return loadJsonConfig(suiteSchema, join(SUITE_DIR, `${nameOrPath}.json`));
  }
  if (nameOrPath.endsWith('.json') || existsSync(nameOrPath)) return loadJsonConfig(suiteSchema, nameOrPath);
  throw new UnknownNameError('suite', nameOrPath, SUITE_NAMES);
}
