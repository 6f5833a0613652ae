// Closed-loop evaluation of a vehicle .onnx through the in-car runtime: the figures a compress report row needs
// (EPDMS with its 95% interval, fallbacks, p50/p99 decision latency). Not the runtime (runtime/) nor scoring.

import { assert } from '../core/assert.js';
import type { StatsSummary } from '../runtime/stats.js';
import { loadSuite, type Suite } from '../sim/suites.js';
import { loadRecipe, type Recipe } from '../train/recipe.js';
import { DEFAULT_RECIPE } from '../train/run-stage.js';
import type { Interval } from './bootstrap.js';
import { evaluateSpec, type SuiteResult } from './closed-loop.js';

export interface VehicleEvalOptions {
  readonly workers?: number; // worker threads, each with its own one-thread session (default 1)
  readonly seed?: number; // bootstrap seed of the interval (the file decodes greedily: nothing else is drawn)
  readonly runtime?: Recipe['runtime']; // budget and safe stop (default: the default recipe's)
  readonly limit?: number; // only the first N episodes
  readonly quiet?: boolean;
}

export interface VehicleEvaluation {
  readonly epdms: number;
  readonly interval: Interval; // 95% bootstrap over episodes
  readonly fallbacks: StatsSummary['fallbacks']; // by response: last plan, safe stop
  readonly faults: StatsSummary['faults']; // by cause: late, wrong length, out of range, NaN, error
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number };
  readonly result: SuiteResult; // everything eval prints
}

/** Drives `suite` (a name or a SuiteJSON file, or a loaded Suite) with the vehicle file `file` through the runtime. */
export async function evaluateVehicle(
  file: string,
  suite: string | Suite,
  options: VehicleEvalOptions = {},
): Promise<VehicleEvaluation> {
  const { budgetMs, stopDecel } = options.runtime ?? loadRecipe(DEFAULT_RECIPE).runtime;
  const result = await evaluateSpec(
    typeof suite === 'string' ? loadSuite(suite) : suite,
    { kind: 'vehicle', file, budgetMs, stopDecel },
    {
      workers: options.workers,
      limit: options.limit,
      quiet: options.quiet ?? true,
      ...(options.seed === undefined ? {} : { bootstrap: { seed: options.seed } }),
    },
  );
  const runtime = result.runtime;
  assert(runtime !== undefined, () => 'a vehicle evaluation keeps the runtime stats of every episode');
  return {
    epdms: result.intervals.all.epdms.estimate,
    interval: result.intervals.all.epdms,
    fallbacks: runtime.fallbacks,
    faults: runtime.faults,
    latency: { p50Ms: runtime.latency.p50Ms, p99Ms: runtime.latency.p99Ms },
    result,
  };
}
