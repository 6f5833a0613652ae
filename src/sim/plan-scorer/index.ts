// The plan scorer's public API: scenes, scoring plans (one or a batch), NAVSIM's frame aggregation.
// Re-exports only; each concern lives in its own file.

export {
  type Aggregation,
  aggregateEpisodes,
  aggregateFrames,
  episodeFrames,
  type Frame,
  type FrameOptions,
  type ScoredEpisode,
} from './frames.js';
export { type EgoRows, type EgoStart, PLAN_STEPS, rollPlan, trackPositions } from './rollout.js';
export {
  type AgentFuture,
  type EgoHistory,
  HISTORY_STEPS,
  type PlanScene,
  planProgress,
  planScene,
  type SceneOptions,
  sceneFromLog,
} from './scene.js';
export { type PlanScore, scorePlan, scorePlans, scorePositions } from './score.js';
