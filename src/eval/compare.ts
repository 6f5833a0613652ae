// Paired comparison of two drivers on one suite: both drive the same episodes, and every score's difference
// (B minus A) gets a 95% paired bootstrap interval, overall and per family. Not the formatting (compare-report.ts).

import type { Suite } from '../sim/suites.js';
import { evaluateSpec, type SpecEvalOptions, type SuiteResult } from './closed-loop.js';
import type { DriverSpec } from './driver-spec.js';
import { pairedIntervals, type SuiteIntervals } from './intervals.js';

export interface Comparison {
  readonly a: SuiteResult;
  readonly b: SuiteResult;
  readonly difference: SuiteIntervals; // of B's scores minus A's, the same episodes resampled from both
}

/** Drives the suite with A, then with B (each over `workers` threads), and pairs their episodes. */
export async function compareSpecs(
  suite: Suite,
  a: DriverSpec,
  b: DriverSpec,
  options: SpecEvalOptions = {},
): Promise<Comparison> {
  const resultA = await evaluateSpec(suite, a, { ...options, label: `A on ${suite.name}` });
  const resultB = await evaluateSpec(suite, b, { ...options, label: `B on ${suite.name}` });
  return {
    a: resultA,
    b: resultB,
    difference: pairedIntervals(resultA.episodes, resultB.episodes, options.bootstrap),
  };
}
