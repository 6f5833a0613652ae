// NAVSIM's way of scoring a closed-loop episode: each decision point is a 4 s frame, the plan the driver made
// there is scored in the frame's scene, and frames are averaged; with the human filter optional. Also the
// choice between this and the closed-loop score over the whole episode. Not one plan's score (score.ts).
//
// What differs from NAVSIM (navsim/evaluate/pdm_score.py, v2 aggregation):
// - The driver's logged positions are tracked at 0.1 s by the metrics' plan tracker (pure pursuit and a speed
//   loop through the bicycle, metrics/plan-tracking.ts), not by NAVSIM's LQR with actuator lags.
// - The reference for EP is the expert (our PDM-Closed analogue) driving 4 s in the world from the frame's state,
//   as a control plan (scene.ts); NAVSIM takes the best of PDM-Closed's proposals weighted by their multipliers.
// - Agents' futures are this episode's own log (non-reactive to the scored plan, as NAVSIM's log replay).
// - The human filter puts the expert where NAVSIM has the human: a metric the expert fails in a frame (valid and
//   below 1; EP excepted, it is measured against the expert) counts as 1 for the driver there.
// - NAVSIM v2's second stage (synthetic scenes 4 s on, weighted by how near the plan ends to them) is not
//   reproduced: our frames are stage one only. The averaging is per frame (each frame's PDMS/EPDMS from its own
//   sub-metrics, then the mean over frames, then over episodes), not a product of averaged sub-metrics.
// - Frames need 4 s of log after them: the last 4 s of an episode are not frames.

import { assertNever } from '../../core/assert.js';
import {
  type EpisodeScore,
  epdms,
  METRIC_NAMES,
  type MetricName,
  type MetricResult,
  pdms,
  type ScoreSummary,
  scoreEpisode,
  summarise,
} from '../metrics/index.js';
import { cloneState } from '../state.js';
import { type EpisodeLog, PLAN_EVERY, PLAN_HORIZON, type Scenario } from '../types.js';
import { World } from '../world.js';
import { PLAN_STEPS } from './rollout.js';
import { sceneFromLog } from './scene.js';
import { type PlanScore, scorePlan, scorePositions } from './score.js';

/** One decision point of an episode scored as a NAVSIM frame. */
export interface Frame {
  readonly scenario: Scenario;
  readonly step: number;
  readonly driver: PlanScore; // the plan the driver made there, tracked
  readonly expert: PlanScore; // the expert's plan from the same state (the human filter's reference)
}

/**
 * The frames of a closed-loop episode `log` of `scenario` whose driver logged plans: every step with a plan and
 * PLAN_STEPS logged steps after it. The world is replayed from the logged commands to recover each frame's
 * state (lanes and intents are not logged). Empty when the driver made no plans.
 */
export function episodeFrames(scenario: Scenario, log: EpisodeLog): Frame[] {
  const plans = log.plans;
  if (!plans || plans.every !== PLAN_EVERY || plans.horizon !== PLAN_HORIZON) return [];
  const frames: Frame[] = [];
  const world = new World(scenario);
  let state = cloneState(scenario.initial);
  let next = cloneState(scenario.initial);
  const size = PLAN_HORIZON * 2;
  const made = plans.xy.length / size;
  for (let t = 0; t + PLAN_STEPS <= log.steps; t++) {
    if (t % PLAN_EVERY === 0 && t / PLAN_EVERY < made) {
      const scene = sceneFromLog(scenario, log, t, state);
      const k = t / PLAN_EVERY;
      const plan = plans.xy.subarray(k * size, (k + 1) * size);
      frames.push({
        scenario,
        step: t,
        driver: scorePositions(scene, plan),
        expert: scorePlan(scene, scene.expertPlan),
      });
    }
    world.stepInto(state, { accel: log.egoAccelCmd[t], curvature: log.egoCurvatureCmd[t] }, next);
    [state, next] = [next, state];
  }
  return frames;
}

/** The driver's metrics of a frame, with those the expert fails there set to 1 when `humanFilter`. */
function frameMetrics(frame: Frame, humanFilter: boolean): Record<MetricName, MetricResult> {
  const out = { ...frame.driver.metrics };
  if (!humanFilter) return out;
  for (const name of METRIC_NAMES) {
    const e = frame.expert.metrics[name];
    if (name !== 'ep' && e.valid && e.value < 1) out[name] = { value: 1, valid: true };
  }
  return out;
}

export interface FrameOptions {
  readonly humanFilter: boolean;
}

/** NAVSIM's aggregation: PDMS and EPDMS per frame (after the optional human filter), then means over frames. */
export function aggregateFrames(frames: readonly Frame[], options: FrameOptions): ScoreSummary {
  const scores: EpisodeScore[] = frames.map((frame) => {
    const metrics = frameMetrics(frame, options.humanFilter);
    return {
      family: frame.scenario.family,
      seed: frame.scenario.seed,
      metrics,
      pdms: pdms(metrics),
      epdms: epdms(metrics),
      atFaultCollision: metrics.nc.valid && metrics.nc.value === 0,
      collisions: frame.driver.collisions,
    };
  });
  return summarise(scores);
}

/** How episodes are scored: closed loop over the whole episode, or NAVSIM's mean over 4 s frames. */
export type Aggregation =
  | { readonly kind: 'closed-loop' }
  | { readonly kind: 'frames'; readonly humanFilter: boolean };

export interface ScoredEpisode {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly referenceProgress: number; // [m] the expert's route progress over the episode (closed loop's EP)
}

/**
 * The summary of episodes under an aggregation. Closed loop: scoreEpisode per episode, mean over episodes.
 * Frames: every episode's frames, per-episode means first, then the mean over episodes (so long episodes do not
 * weigh more), each episode's metric means over its valid frames; episodes without frames (no plans) are left out.
 */
export function aggregateEpisodes(
  aggregation: Aggregation,
  episodes: readonly ScoredEpisode[],
): ScoreSummary {
  switch (aggregation.kind) {
    case 'closed-loop':
      return summarise(
        episodes.map((e) => scoreEpisode(e.scenario, e.log, { referenceProgress: e.referenceProgress })),
      );
    case 'frames': {
      const scored: EpisodeScore[] = [];
      for (const e of episodes) {
        const frames = episodeFrames(e.scenario, e.log);
        if (frames.length > 0) scored.push(episodeFromFrames(e, aggregateFrames(frames, aggregation)));
      }
      return summarise(scored);
    }
    default:
      return assertNever(aggregation, 'aggregation');
  }
}

/** An episode's frame summary as an EpisodeScore (metric means as values), for the mean over episodes. */
function episodeFromFrames(e: ScoredEpisode, s: ScoreSummary): EpisodeScore {
  const metrics = {} as Record<MetricName, MetricResult>;
  for (const name of METRIC_NAMES)
    metrics[name] = { value: s.metrics[name].mean, valid: s.metrics[name].valid > 0 };
  return {
    family: e.scenario.family,
    seed: e.scenario.seed,
    metrics,
    pdms: s.pdms,
    epdms: s.epdms,
    atFaultCollision: s.atFaultCollisions > 0,
    collisions: [],
  };
}
