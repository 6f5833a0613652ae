// All metrics of one episode as per-state series, and how each reduces to its episode value. The one place
// score.ts (episode values) and reward.ts (per-step rewards) both read, so the two never disagree.

import { assertNever } from '../../core/assert.js';
import { type CollisionEvent, collisions } from './collision.js';
import { comfortSeries } from './comfort.js';
import type { EpisodeContext } from './context.js';
import { directionSeries } from './direction.js';
import { drivableAreaSeries } from './drivable-area.js';
import { extendedComfortSeries } from './extended-comfort.js';
import { historyComfortSeries } from './history-comfort.js';
import { laneKeepingSeries } from './lane-keeping.js';
import {
  METRIC_NAMES,
  type MetricName,
  type MetricResult,
  reduceMean,
  reduceMin,
  type StepSeries,
} from './metric.js';
import { progressSeries, reduceProgress } from './progress.js';
import { trafficLightSeries } from './traffic-light.js';
import { ttcSeries } from './ttc.js';

export interface EpisodeSeries {
  readonly metrics: Readonly<Record<MetricName, StepSeries>>;
  readonly collisions: readonly CollisionEvent[];
}

/** Every metric's per-state series for the episode in `ctx`. */
export function episodeSeries(ctx: EpisodeContext): EpisodeSeries {
  const nc = collisions(ctx);
  return {
    metrics: {
      nc: nc.series,
      dac: drivableAreaSeries(ctx),
      ddc: directionSeries(ctx),
      tlc: trafficLightSeries(ctx),
      ep: progressSeries(ctx),
      ttc: ttcSeries(ctx),
      lk: laneKeepingSeries(ctx),
      c: comfortSeries(ctx),
      hc: historyComfortSeries(ctx),
      ec: extendedComfortSeries(ctx),
    },
    collisions: nc.events,
  };
}

/** The multiplier metrics of EPDMS, whose product masks EP's normaliser. */
export const MULTIPLIER_METRICS = ['nc', 'dac', 'ddc', 'tlc'] as const satisfies readonly MetricName[];

/** How the episode values are reduced: the reference's progress and multiplier product (EP needs them). */
export interface Reference {
  readonly progress: number | undefined; // [m]
  readonly multiplier: number;
}

/**
 * A metric's episode value from its series: minimum for pass/fail metrics, mean over plans, ratio for EP.
 * EP also needs ego's multiplier product (`egoMultiplier`, from the other metrics; reduceAll passes it).
 */
export function reduceMetric(
  name: MetricName,
  series: StepSeries,
  reference: Reference,
  egoMultiplier = 1,
): MetricResult {
  switch (name) {
    case 'nc':
    case 'dac':
    case 'ddc':
    case 'tlc':
    case 'ttc':
    case 'lk':
    case 'c':
      return reduceMin(series);
    case 'hc':
    case 'ec':
      return reduceMean(series);
    case 'ep':
      return reduceProgress(series, reference.progress, egoMultiplier, reference.multiplier);
    default:
      return assertNever(name, 'metric');
  }
}

/** Every metric's episode value; the multipliers first, as EP's normaliser depends on them. */
export function reduceAll(series: EpisodeSeries, reference: Reference): Record<MetricName, MetricResult> {
  const out = {} as Record<MetricName, MetricResult>;
  let multiplier = 1;
  for (const name of MULTIPLIER_METRICS) {
    out[name] = reduceMetric(name, series.metrics[name], reference);
    if (out[name].valid) multiplier *= out[name].value;
  }
  for (const name of METRIC_NAMES) {
    if (!(name in out)) out[name] = reduceMetric(name, series.metrics[name], reference, multiplier);
  }
  return out;
}
