// Action-token bins: the acceleration and curvature values each token stands for, fitted to data, saved as JSON.
// Not the encoder or decoder (action-tokens.ts) and not the token ids (model/tokenizer.ts maps bins to ids).

import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig, parseConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { PLAN_HORIZON, PLAN_SPACING } from '../sim/types.js';

export const ACTION_BINS_FORMAT = 'drivefm-action-bins-1';

export const PLAN_STEPS = PLAN_HORIZON; // H: steps in a plan (4 s)
export const PLAN_STEP_SECONDS = PLAN_SPACING; // [s] one token pair per step

// Fixed outer edges: anything beyond is clamped into the outermost bin.
const ACCEL_MIN = -8.0; // [m/s2] harder than any expert brake (the world clips IDM at -6)
const ACCEL_MAX = 4.0; // [m/s2] above the expert's launch acceleration
const CURVATURE_MAX = 0.25; // [1/m] about the bicycle's limit (5 m car, steering pi/3: 0.26)

/** One axis: N bins between N + 1 ascending edges; the token of a bin decodes to its centre. */
export interface AxisBins {
  readonly edges: Float64Array; // (N + 1,) ascending; edges[0] and edges[N] are the fixed extremes
  readonly centres: Float64Array; // (N,) median of the fitted samples in the bin (midpoint when empty)
}

export interface ActionBins {
  readonly format: typeof ACTION_BINS_FORMAT;
  readonly steps: number; // H
  readonly stepSeconds: number; // [s]
  readonly longitudinal: AxisBins; // acceleration [m/s2]
  readonly lateral: AxisBins; // curvature [1/m], positive turns left
  readonly samples: number; // how many (accel, curvature) pairs they were fitted on
}

export interface FitBinsOptions {
  readonly longitudinalBins: number;
  readonly lateralBins: number;
}

/**
 * Fits both axes to samples of the expert's per-step acceleration and curvature (the bicycle inverse of
 * its logged motion over 0.5 s steps). Half the interior edges sit at the data's quantiles, so common values
 * get fine bins; the other half split [lo, hi] evenly, so rare hard braking and sharp turns stay representable.
 * Where edges coincide (a long stop gives many exact zeros) the widest bin is split instead.
 */
export function fitActionBins(
  accels: Float64Array,
  curvatures: Float64Array,
  options: FitBinsOptions,
): ActionBins {
  if (accels.length !== curvatures.length || accels.length === 0) {
    throw new UsageError(
      `fitActionBins needs equal, non-empty samples (${accels.length}, ${curvatures.length})`,
    );
  }
  return {
    format: ACTION_BINS_FORMAT,
    steps: PLAN_STEPS,
    stepSeconds: PLAN_STEP_SECONDS,
    longitudinal: fitAxis(accels, options.longitudinalBins, ACCEL_MIN, ACCEL_MAX),
    lateral: fitAxis(curvatures, options.lateralBins, -CURVATURE_MAX, CURVATURE_MAX),
    samples: accels.length,
  };
}

function fitAxis(values: Float64Array, bins: number, lo: number, hi: number): AxisBins {
  if (!Number.isInteger(bins) || bins < 2) throw new UsageError(`need at least 2 bins, got ${bins}`);
  const sorted = Float64Array.from(values, (v) => Math.min(hi, Math.max(lo, v))).sort();
  const minWidth = (hi - lo) * 1e-4; // edges closer than this are one edge
  const edges = [lo, hi];
  const add = (e: number) => {
    if (edges.every((f) => Math.abs(f - e) > minWidth)) edges.push(e);
  };
  const uniform = Math.floor(bins / 2); // bins spread evenly over [lo, hi] so rare values stay representable
  const quantile = bins - uniform; // bins following the data
  for (let k = 1; k < uniform; k++) add(lo + ((hi - lo) * k) / uniform);
  for (let k = 1; k < quantile; k++)
    add(sorted[Math.min(sorted.length - 1, Math.floor((k / quantile) * sorted.length))]!);
  edges.sort((a, b) => a - b);
  while (edges.length < bins + 1) {
    let widest = 0;
    for (let i = 1; i + 1 < edges.length; i++)
      if (edges[i + 1]! - edges[i]! > edges[widest + 1]! - edges[widest]!) widest = i;
    edges.splice(widest + 1, 0, (edges[widest]! + edges[widest + 1]!) / 2);
  }
  const edgeArray = Float64Array.from(edges);
  const centres = new Float64Array(bins);
  let start = 0; // sorted samples of bin b are sorted[start, end)
  for (let b = 0; b < bins; b++) {
    let end = start;
    while (end < sorted.length && (b === bins - 1 || sorted[end]! < edgeArray[b + 1]!)) end++;
    centres[b] = end > start ? sorted[(start + end) >> 1]! : (edgeArray[b]! + edgeArray[b + 1]!) / 2;
    start = end;
  }
  return { edges: edgeArray, centres };
}

/** The bin whose [edge, next edge) holds v; values beyond the extremes go to the outermost bins. */
export function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 2; // last bin index
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (v >= edges[mid]!) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const axisSchema = z.strictObject({
  edges: z.array(z.number()).min(3),
  centres: z.array(z.number()).min(2),
});

const fileSchema = z
  .strictObject({
    format: z.literal(ACTION_BINS_FORMAT),
    steps: z.number().int().positive(),
    stepSeconds: z.number().positive(),
    longitudinal: axisSchema,
    lateral: axisSchema,
    samples: z.number().int().positive(),
  })
  .refine((f) => f.longitudinal.edges.length === f.longitudinal.centres.length + 1, {
    message: 'edges must be one more than centres',
    path: ['longitudinal', 'edges'],
  })
  .refine((f) => f.lateral.edges.length === f.lateral.centres.length + 1, {
    message: 'edges must be one more than centres',
    path: ['lateral', 'edges'],
  });

export type ActionBinsJson = z.infer<typeof fileSchema>;

export function actionBinsToJson(bins: ActionBins): ActionBinsJson {
  const axis = (a: AxisBins) => ({ edges: Array.from(a.edges), centres: Array.from(a.centres) });
  return {
    format: bins.format,
    steps: bins.steps,
    stepSeconds: bins.stepSeconds,
    longitudinal: axis(bins.longitudinal),
    lateral: axis(bins.lateral),
    samples: bins.samples,
  };
}

/** Bins from the checked contents of an action-bins file. */
function actionBinsFromFile(f: z.infer<typeof fileSchema>): ActionBins {
  const axis = (a: { edges: number[]; centres: number[] }) => ({
    edges: Float64Array.from(a.edges),
    centres: Float64Array.from(a.centres),
  });
  return { ...f, format: ACTION_BINS_FORMAT, longitudinal: axis(f.longitudinal), lateral: axis(f.lateral) };
}

export function saveActionBins(path: string, bins: ActionBins): void {
  writeFileAtomic(path, `${JSON.stringify(actionBinsToJson(bins), null, 1)}\n`);
}

/** Bins from parsed JSON (`actionBinsToJson`'s shape) found at `at` in `file` (a vehicle file's metadata). */
export function parseActionBins(value: unknown, file: string, at: readonly PropertyKey[] = []): ActionBins {
  return actionBinsFromFile(parseConfig(fileSchema, value, file, at));
}

export function loadActionBins(path: string): ActionBins {
  return actionBinsFromFile(loadJsonConfig(fileSchema, path));
}
