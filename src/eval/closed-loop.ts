// Closed-loop evaluation: drive every episode of a suite with a driver, score it against the expert's progress
// (EP's reference), summarise, and attach the 95% bootstrap intervals; in this thread or over worker threads.
// Not the metrics (sim/metrics), the statistics (bootstrap.ts, intervals.ts) nor the report formatting (report.ts).

import { UsageError } from '../core/errors.js';
import { startProgress } from '../core/progress.js';
import {
  type DecisionStats,
  isInstrumented,
  mergeStats,
  type StatsSummary,
  summariseStats,
} from '../runtime/stats.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import {
  EpisodeContext,
  type EpisodeScore,
  type EpisodeSeries,
  episodeSeries,
  referenceOptions,
  type ScoreSummary,
  scoreSeries,
  summarise,
} from '../sim/metrics/index.js';
import { expertLog, runEpisode } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import type { Suite } from '../sim/suites.js';
import type { Driver, EpisodeLog, Scenario, ScenarioFamily } from '../sim/types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { type DriverSpec, driverFactory } from './driver-spec.js';
import { type SuiteIntervals, suiteIntervals } from './intervals.js';
import { scoreInWorkers } from './workers.js';

export interface SuiteResult {
  readonly suite: string;
  readonly version: number;
  readonly driver: string;
  readonly summary: ScoreSummary;
  readonly intervals: SuiteIntervals; // 95% bootstrap intervals over the episodes
  readonly episodes: readonly EpisodeScore[];
  /** The in-car runtime's decisions, fallbacks and latency over the suite, when the driver is one. */
  readonly runtime?: StatsSummary;
}

export interface EvalOptions {
  readonly quiet?: boolean;
  /** Restrict to the first N episodes (smoke runs). */
  readonly limit?: number;
  readonly bootstrap?: BootstrapOptions;
  /** What the progress display calls the run (default `eval SUITE`). */
  readonly label?: string;
  /** Called after each episode driven in this thread, with its driver (episode-record.ts saves it). */
  readonly onEpisode?: (driven: DrivenEpisode, driver: Driver) => void;
}

/** Scores episodes somewhere else (a job queue), in the order given; `onScore` after each. */
export type EpisodeScorer = (
  spec: DriverSpec,
  episodes: readonly Episode[],
  onScore: () => void,
) => Promise<ScoredEpisodes>;

/** Episodes' scores, and the runtime's stats per episode when the driver keeps them. */
export interface ScoredEpisodes {
  readonly driver: string;
  readonly scores: EpisodeScore[];
  readonly stats?: readonly DecisionStats[];
}

export interface SpecEvalOptions extends EvalOptions {
  /** Worker threads driving episodes (default 1: this thread). */
  readonly workers?: number;
  /** Where episodes are scored instead of this process's threads (jobs/: a queue); `workers` is then unused. */
  readonly scorer?: EpisodeScorer;
}

export interface Episode {
  readonly family: ScenarioFamily;
  readonly seed: number;
}

/** One driven episode with everything its score was computed from: the metrics' per-state series too. */
export interface DrivenEpisode {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly series: EpisodeSeries;
  readonly score: EpisodeScore;
}

/**
 * Drives one episode and scores it. EP's reference is the expert's episode on the same scenario (its route progress
 * and its multiplier product, as NAVSIM v2 normalises EP); when the expert is the driver, its own episode is that
 * reference.
 */
export function driveEpisode(driver: Driver, { family, seed }: Episode): DrivenEpisode {
  const scenario = createScenario(family, seed);
  const log = runEpisode(scenario, driver);
  const reference = driver instanceof ExpertDriver ? log : expertLog(scenario);
  const ctx = new EpisodeContext(scenario, log, referenceOptions(scenario, reference));
  const series = episodeSeries(ctx);
  return { scenario, log, series, score: scoreSeries(ctx, series) };
}

/** The score of one episode driven by `driver` (driveEpisode without the rest). */
export function scoreWith(driver: Driver, episode: Episode): EpisodeScore {
  return driveEpisode(driver, episode).score;
}

function episodesOf(suite: Suite, options: EvalOptions): readonly Episode[] {
  const episodes = suite.episodes.slice(0, options.limit ?? suite.episodes.length);
  if (episodes.length === 0)
    throw new UsageError(`suite ${suite.name}: a limit of 0 leaves no episode to drive`);
  return episodes;
}

function labelOf(suite: Suite, options: EvalOptions): string {
  return options.label ?? `eval ${suite.name}`;
}

function result(suite: Suite, scored: ScoredEpisodes, options: EvalOptions): SuiteResult {
  const { driver, scores, stats } = scored;
  return {
    suite: suite.name,
    version: suite.version,
    driver,
    summary: summarise(scores),
    intervals: suiteIntervals(scores, options.bootstrap),
    episodes: scores,
    ...(stats?.length ? { runtime: summariseStats(mergeStats(stats)) } : {}),
  };
}

/** Drives each (family, seed) of the suite in this thread with a fresh-episode driver from `makeDriver`. */
export function evaluateSuite(
  suite: Suite,
  makeDriver: () => Driver,
  options: EvalOptions = {},
): SuiteResult {
  const episodes = episodesOf(suite, options);
  const progress = startProgress(labelOf(suite, options), episodes.length, { quiet: options.quiet });
  const scores: EpisodeScore[] = [];
  const stats: DecisionStats[] = [];
  let name = '';
  for (const episode of episodes) {
    const driver = makeDriver();
    name = driver.name;
    const driven = driveEpisode(driver, episode);
    options.onEpisode?.(driven, driver);
    scores.push(driven.score);
    if (isInstrumented(driver)) stats.push(driver.episodeStats());
    progress.tick();
  }
  progress.stop();
  return result(suite, { driver: name, scores, stats }, options);
}

/**
 * The suite driven by the driver `spec` describes, over `workers` threads (1: in this thread). Each worker builds
 * its own driver and takes the next episode when it is free; scores are gathered in suite order, so the result is
 * the same bytes for any number of workers.
 */
export async function evaluateSpec(
  suite: Suite,
  spec: DriverSpec,
  options: SpecEvalOptions = {},
): Promise<SuiteResult> {
  const workers = options.workers ?? 1;
  if (options.onEpisode && (workers > 1 || options.scorer))
    throw new UsageError(
      'episodes are recorded only when they are driven in this thread (workers 1, no queue)',
    );
  if (workers <= 1 && !options.scorer) {
    const drivers = await driverFactory(spec);
    try {
      return evaluateSuite(suite, drivers.make, options);
    } finally {
      await drivers.dispose();
    }
  }
  const episodes = episodesOf(suite, options);
  const progress = startProgress(labelOf(suite, options), episodes.length, { quiet: options.quiet });
  try {
    const score = options.scorer ?? ((s, e, tick) => scoreInWorkers(s, e, workers, tick));
    return result(suite, await score(spec, episodes, () => progress.tick()), options);
  } finally {
    progress.stop();
  }
}
