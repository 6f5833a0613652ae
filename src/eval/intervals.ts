// 95% bootstrap intervals of a suite's scores over its episodes (EPDMS, PDMS, every sub-metric, per family too),
// and of the paired difference between two drivers on the same episodes. Not the resampling itself (bootstrap.ts).

import { UsageError } from '../core/errors.js';
import { type EpisodeScore, METRIC_NAMES, type MetricName } from '../sim/metrics/index.js';
import type { ScenarioFamily } from '../sim/types.js';
import {
  type BootstrapOptions,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_RESAMPLES,
  difference,
  type Interval,
  meanOf,
  Resamples,
  type Statistic,
  validMeanOf,
} from './bootstrap.js';

/** What the intervals are of: the two scores and every sub-metric. */
export const SCORE_NAMES = ['epdms', 'pdms', ...METRIC_NAMES] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

export type ScoreIntervals = Readonly<Record<ScoreName, Interval>>;

export interface FamilyIntervals {
  readonly family: ScenarioFamily;
  readonly episodes: number;
  readonly scores: ScoreIntervals;
}

/** The bootstrap's settings as used, for reports to state. */
export interface BootstrapSettings {
  readonly resamples: number;
  readonly seed: number;
}

/**
 * Each score as a statistic of the episodes at some indices: EPDMS and PDMS are means over episodes; a sub-metric
 * is the mean over the episodes where it is valid (1 when none is), as `summarise` reports it.
 */
function statistics(episodes: readonly EpisodeScore[]): Record<ScoreName, Statistic> {
  const metric = (name: MetricName): Statistic =>
    validMeanOf(
      episodes.map((e) => e.metrics[name].value),
      episodes.map((e) => e.metrics[name].valid),
      1,
    );
  return {
    epdms: meanOf(episodes.map((e) => e.epdms)),
    pdms: meanOf(episodes.map((e) => e.pdms)),
    ...(Object.fromEntries(METRIC_NAMES.map((m) => [m, metric(m)])) as Record<MetricName, Statistic>),
  };
}

/** How the per-sample statistics become the one whose interval is wanted: itself, or B's minus A's. */
type Combine = (stats: readonly Record<ScoreName, Statistic>[]) => Record<ScoreName, Statistic>;

function intervalsOf(
  samples: readonly (readonly EpisodeScore[])[],
  combine: Combine,
  options: BootstrapOptions,
): ScoreIntervals {
  const stats = combine(samples.map(statistics));
  const resamples = new Resamples(samples[0]!.length, options);
  return Object.fromEntries(SCORE_NAMES.map((s) => [s, resamples.interval(stats[s])])) as ScoreIntervals;
}

/** Intervals over all episodes and over each family's, with the settings used. */
export interface SuiteIntervals {
  readonly bootstrap: BootstrapSettings;
  readonly all: ScoreIntervals;
  readonly families: readonly FamilyIntervals[]; // in the order families first appear in the suite
}

function grouped(
  samples: readonly (readonly EpisodeScore[])[],
  combine: Combine,
  options: BootstrapOptions,
): SuiteIntervals {
  const families = [...new Set(samples[0]!.map((e) => e.family))];
  return {
    bootstrap: {
      resamples: options.resamples ?? DEFAULT_RESAMPLES,
      seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED,
    },
    all: intervalsOf(samples, combine, options),
    families: families.map((family) => {
      const subset = samples.map((s) => s.filter((e) => e.family === family));
      return { family, episodes: subset[0]!.length, scores: intervalsOf(subset, combine, options) };
    }),
  };
}

/** Every score's interval over the suite's episodes and over each family's. */
export function suiteIntervals(
  episodes: readonly EpisodeScore[],
  options: BootstrapOptions = {},
): SuiteIntervals {
  return grouped([episodes], ([stats]) => stats!, options);
}

/**
 * The paired bootstrap of B's score minus A's for every score: both drivers drove the same episodes (same family
 * and seed in the same order), so each resample takes the same episodes from both and the interval is of the
 * difference.
 */
export function pairedIntervals(
  a: readonly EpisodeScore[],
  b: readonly EpisodeScore[],
  options: BootstrapOptions = {},
): SuiteIntervals {
  const key = (e: EpisodeScore) => `${e.family}:${e.seed}`;
  if (a.length !== b.length || a.some((e, i) => key(e) !== key(b[i]!))) {
    throw new UsageError('compare: the two drivers did not drive the same episodes in the same order');
  }
  const paired: Combine = ([sa, sb]) =>
    Object.fromEntries(SCORE_NAMES.map((s) => [s, difference(sa![s], sb![s])])) as Record<
      ScoreName,
      Statistic
    >;
  return grouped([a, b], paired, options);
}
