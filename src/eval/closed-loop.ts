// Closed-loop evaluation: drive every episode of a suite with a driver, score it against the expert's progress
// (EP's reference), and summarise. Any Driver works: the expert, a learned model's runtime, a replay.
// Not the metrics (sim/metrics) nor the report formatting (report.ts).

import { startProgress } from '../core/progress.js';
import { type EpisodeScore, type ScoreSummary, scoreEpisode, summarise } from '../sim/metrics/index.js';
import { routeProgress } from '../sim/metrics/route.js';
import { expertLog, runEpisode } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import type { Suite } from '../sim/suites.js';
import type { Driver } from '../sim/types.js';

export interface SuiteResult {
  readonly suite: string;
  readonly version: number;
  readonly driver: string;
  readonly summary: ScoreSummary;
  readonly episodes: readonly EpisodeScore[];
}

export interface EvalOptions {
  readonly quiet?: boolean;
  /** Restrict to the first N episodes (smoke runs). */
  readonly limit?: number;
}

/**
 * Drives each (family, seed) of the suite with a fresh driver from `makeDriver` and scores it. EP's reference is
 * the expert's route progress on the same scenario; when `makeDriver` is the expert, its own episode serves.
 */
export function evaluateSuite(
  suite: Suite,
  makeDriver: () => Driver,
  options: EvalOptions = {},
): SuiteResult {
  const episodes = suite.episodes.slice(0, options.limit ?? suite.episodes.length);
  const progress = startProgress(`eval ${suite.name}`, episodes.length, { quiet: options.quiet });
  const scores: EpisodeScore[] = [];
  let name = '';
  for (const { family, seed } of episodes) {
    const scenario = createScenario(family, seed);
    const driver = makeDriver();
    name = driver.name;
    const log = runEpisode(scenario, driver);
    const reference = driver.name === 'expert' ? log : expertLog(scenario);
    scores.push(scoreEpisode(scenario, log, { referenceProgress: routeProgress(scenario, reference) }));
    progress.tick();
  }
  progress.stop();
  return {
    suite: suite.name,
    version: suite.version,
    driver: name,
    summary: summarise(scores),
    episodes: scores,
  };
}
