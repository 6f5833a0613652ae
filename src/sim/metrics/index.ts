// The metrics package's public API: per-episode scoring (PDMS, EPDMS), per-state series, RL rewards.
// Re-exports only; each concern lives in its own file.

export type { CollisionEvent, CollisionType } from './collision.js';
export { COMFORT_BOUNDS } from './comfort.js';
export { type ContextOptions, EpisodeContext } from './context.js';
export { METRIC_NAMES, type MetricName, type MetricResult, type StepSeries } from './metric.js';
export {
  type EpisodeReward,
  REWARD_TERM_NAMES,
  REWARD_TERMS,
  Reward,
  type RewardTerm,
  type RewardWeights,
  RewardWeightsSchema,
  type StepRewards,
} from './reward.js';
export { routeProgress } from './route.js';
export {
  type EpisodeScore,
  epdms,
  type MetricSummary,
  pdms,
  referenceOptions,
  type ScoreSummary,
  scoreEpisode,
  scoreSeries,
  summarise,
} from './score.js';
export { type EpisodeSeries, episodeSeries, reduceAll, reduceMetric } from './series.js';
