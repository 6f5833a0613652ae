// The scenario registry: every family by name, and createScenario(family, seed) with its input checks.
// Not the families themselves (one file each) nor the suites that list (family, seed) pairs (suites.ts).

import { lookup } from '../../core/config.js';
import { UnknownNameError, UsageError } from '../../core/errors.js';
import { MAX_SCENARIO_SEED, SCENARIO_FAMILIES, type Scenario, type ScenarioFamily } from '../types.js';
import { cutIn } from './cut-in.js';
import { denseMerge } from './dense-merge.js';
import { highwayCruise } from './highway-cruise.js';
import { jaywalker } from './jaywalker.js';
import { leadBrake } from './lead-brake.js';
import { nominalUrban } from './nominal-urban.js';
import { redLightRunner } from './red-light-runner.js';
import { stalledObstacle } from './stalled-obstacle.js';
import { unprotectedLeft } from './unprotected-left.js';

const FAMILIES: Record<ScenarioFamily, (seed: number) => Scenario> = {
  'nominal-urban': nominalUrban,
  'highway-cruise': (seed) => highwayCruise(seed),
  'lead-brake': leadBrake,
  'cut-in': cutIn,
  jaywalker,
  'red-light-runner': redLightRunner,
  'stalled-obstacle': stalledObstacle,
  'unprotected-left': unprotectedLeft,
  'dense-merge': denseMerge,
};

/** Checks a family name, naming the known ones when it is not one. */
export function parseFamily(name: string): ScenarioFamily {
  if (!(SCENARIO_FAMILIES as readonly string[]).includes(name)) {
    throw new UnknownNameError('scenario family', name, SCENARIO_FAMILIES);
  }
  return name as ScenarioFamily;
}

/** Checks a scenario seed: an integer in [0, 2^32). */
export function parseSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SCENARIO_SEED) {
    throw new UsageError(`seed: expected an integer from 0 to ${MAX_SCENARIO_SEED}, got ${seed}`);
  }
  return seed;
}

/** Scenario `seed` of `family`; the same pair always gives the same scenario. */
export function createScenario(family: string, seed: number): Scenario {
  return lookup(FAMILIES, family, 'scenario family')(parseSeed(seed));
}
