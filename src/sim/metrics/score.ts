// PDMS (NAVSIM v1) and EPDMS (NAVSIM v2) of one closed-loop episode with the weights of shared/REFERENCE.md,
// and the summary over many episodes. Not the metrics (one file each) nor RL rewards (reward.ts).

import type { EpisodeLog, Scenario, ScenarioFamily } from '../types.js';
import type { CollisionEvent } from './collision.js';
import { type ContextOptions, EpisodeContext } from './context.js';
import { METRIC_NAMES, type MetricName, type MetricResult } from './metric.js';
import { routeProgress } from './route.js';
import { type EpisodeSeries, episodeSeries, MULTIPLIER_METRICS, reduceAll } from './series.js';

export interface EpisodeScore {
  readonly family: ScenarioFamily;
  readonly seed: number;
  readonly metrics: Readonly<Record<MetricName, MetricResult>>;
  readonly pdms: number;
  readonly epdms: number;
  readonly atFaultCollision: boolean;
  readonly collisions: readonly CollisionEvent[];
}

/** A metric's value in a score: an invalid metric (nothing to judge, e.g. HC without plans) counts as 1. */
function term(m: Readonly<Record<MetricName, MetricResult>>, name: MetricName): number {
  return m[name].valid ? m[name].value : 1;
}

/** PDMS = NC x DAC x (5 TTC + 5 EP + 2 C) / 12 (NAVSIM v1). */
export function pdms(m: Readonly<Record<MetricName, MetricResult>>): number {
  const t = (name: MetricName) => term(m, name);
  return t('nc') * t('dac') * ((5 * t('ttc') + 5 * t('ep') + 2 * t('c')) / 12);
}

/**
 * EPDMS = NC x DAC x DDC x TLC x (5 EP + 5 TTC + 2 LK + 2 HC + 2 EC) / 16 (NAVSIM v2 compute_final_scores).
 * Deliberate differences: one score per whole episode rather than per 4 s frame, no human filter (NAVSIM sets
 * a metric the human log fails to 1) and no two-stage aggregation.
 */
export function epdms(m: Readonly<Record<MetricName, MetricResult>>): number {
  const t = (name: MetricName) => term(m, name);
  const weighted = (5 * t('ep') + 5 * t('ttc') + 2 * t('lk') + 2 * t('hc') + 2 * t('ec')) / 16;
  return t('nc') * t('dac') * t('ddc') * t('tlc') * weighted;
}

/** The score of an episode whose series are already computed (RL computes them once for score and reward). */
export function scoreSeries(ctx: EpisodeContext, series: EpisodeSeries): EpisodeScore {
  const metrics = reduceAll(series, {
    progress: ctx.referenceProgress,
    multiplier: ctx.referenceMultiplier,
  });
  return {
    family: ctx.log.family,
    seed: ctx.log.seed,
    metrics,
    pdms: pdms(metrics),
    epdms: epdms(metrics),
    atFaultCollision: series.collisions.some((c) => c.atFault),
    collisions: series.collisions,
  };
}

/** Scores one episode. `referenceProgress` is the expert's routeProgress on the same scenario (EP needs it). */
export function scoreEpisode(
  scenario: Scenario,
  log: EpisodeLog,
  options: ContextOptions = {},
): EpisodeScore {
  const ctx = new EpisodeContext(scenario, log, options);
  return scoreSeries(ctx, episodeSeries(ctx));
}

/**
 * The options that make a reference planner's log (the expert's) the EP reference of other drivers on the same
 * scenario: its route progress and its multiplier product NC x DAC x DDC x TLC.
 */
export function referenceOptions(scenario: Scenario, log: EpisodeLog): ContextOptions {
  const ctx = new EpisodeContext(scenario, log);
  const metrics = reduceAll(episodeSeries(ctx), { progress: undefined, multiplier: 1 });
  let product = 1;
  for (const name of MULTIPLIER_METRICS) product *= term(metrics, name);
  return { referenceProgress: routeProgress(scenario, log), referenceMultiplier: product };
}

export interface MetricSummary {
  readonly mean: number; // over episodes where the metric is valid; 1 when none is
  readonly valid: number; // episodes where it is valid
  readonly failed: number; // valid episodes with a value below 1
}

export interface ScoreSummary {
  readonly episodes: number;
  readonly pdms: number; // mean
  readonly epdms: number; // mean
  readonly atFaultCollisions: number; // episodes with one
  readonly metrics: Readonly<Record<MetricName, MetricSummary>>;
}

/** Means over episodes, as NAVSIM averages per-scene scores. */
export function summarise(scores: readonly EpisodeScore[]): ScoreSummary {
  const metrics = {} as Record<MetricName, MetricSummary>;
  for (const name of METRIC_NAMES) {
    let sum = 0;
    let valid = 0;
    let failed = 0;
    for (const s of scores) {
      const m = s.metrics[name];
      if (!m.valid) continue;
      sum += m.value;
      valid++;
      if (m.value < 1) failed++;
    }
    metrics[name] = { mean: valid > 0 ? sum / valid : 1, valid, failed };
  }
  const mean = (f: (s: EpisodeScore) => number) =>
    scores.length > 0 ? scores.reduce((acc, s) => acc + f(s), 0) / scores.length : 0;
  return {
    episodes: scores.length,
    pdms: mean((s) => s.pdms),
    epdms: mean((s) => s.epdms),
    atFaultCollisions: scores.filter((s) => s.atFaultCollision).length,
    metrics,
  };
}
