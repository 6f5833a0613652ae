// The input every label is computed from: a scenario, its expert episode log, and the step of the frame.
// Also the ego-frame transform (x forward, y left) and log indexing shared by the label categories.

import type { EpisodeLog, Scenario } from '../sim/types.js';
import { DT } from '../sim/types.js';
import { PLAN_STEP_SECONDS, PLAN_STEPS } from './action-bins.js';

/** One sampled frame of an expert episode; labels may read the future of the log (privileged). */
export interface LabelFrame {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly step: number; // index into the log's T states
}

/** Log steps in one 0.5 s plan step. */
export const STEPS_PER_PLAN_STEP = Math.round(PLAN_STEP_SECONDS / DT);
/** Log steps a frame needs after it: the 4 s future of trajectories, occupancy and action tokens. */
export const FUTURE_STEPS = PLAN_STEPS * STEPS_PER_PLAN_STEP;

/** Flat index of (agent, step) in an (A, T) log field. */
export function logIndex(log: EpisodeLog, agent: number, step: number): number {
  return agent * (log.steps + 1) + step;
}

export interface Pose {
  readonly x: number; // [m]
  readonly y: number; // [m]
  readonly heading: number; // [rad]
  readonly speed: number; // [m/s]
}

export function poseAt(log: EpisodeLog, agent: number, step: number): Pose {
  const i = logIndex(log, agent, step);
  return { x: log.x[i]!, y: log.y[i]!, heading: log.heading[i]!, speed: log.speed[i]! };
}

/** Ego's logged poses every 0.5 s after `step`, (H,): the trajectory action tokens encode. */
export function egoFuture(log: EpisodeLog, step: number): Pose[] {
  return Array.from({ length: PLAN_STEPS }, (_, k) => poseAt(log, 0, step + (k + 1) * STEPS_PER_PLAN_STEP));
}

/** Forward coordinate of world point (x, y) in the frame of `pose` [m]. */
export function egoForward(pose: Pose, x: number, y: number): number {
  return (x - pose.x) * Math.cos(pose.heading) + (y - pose.y) * Math.sin(pose.heading);
}

/** Leftward coordinate of world point (x, y) in the frame of `pose` [m]. */
export function egoLeft(pose: Pose, x: number, y: number): number {
  return -(x - pose.x) * Math.sin(pose.heading) + (y - pose.y) * Math.cos(pose.heading);
}

/** Steps of a log that can be labelled: every `every` steps while the 4 s future is still in the log. */
export function sampleSteps(log: EpisodeLog, every: number): number[] {
  const steps: number[] = [];
  for (let s = 0; s + FUTURE_STEPS <= log.steps; s += every) steps.push(s);
  return steps;
}
