// A plan scene: everything needed to score 4 s plans from one world state, built once (the other agents' and
// the lights' next 4 s, the expert's plan and progress, ego's past). Not the scoring itself (score.ts).
//
// As in NAVSIM the other agents do not react to the plan being scored: their future is the world's with the
// expert driving ego (planScene) or the episode's own (sceneFromLog).

import { UsageError } from '../../core/errors.js';
import { ExpertDriver } from '../agents/expert/expert.js';
import { HC_HISTORY } from '../metrics/history-comfort.js';
import type { MetricResult } from '../metrics/index.js';
import { routeTrack } from '../metrics/route.js';
import { MULTIPLIER_METRICS } from '../metrics/series.js';
import { EpisodeRecorder } from '../rollout.js';
import { cloneState } from '../state.js';
import { DT, type EpisodeLog, PLAN_EVERY, PLAN_HORIZON, type Scenario, type WorldState } from '../types.js';
import { World } from '../world.js';
import {
  allocEgoRows,
  type EgoRows,
  type EgoStart,
  PLAN_STEPS,
  rollPlan,
  trackPositions,
} from './rollout.js';
import { scorePlan } from './score.js';

/** States of ego's past a scene keeps for HC: NAVSIM's 1.5 s, in whole plan steps. */
export const HISTORY_STEPS = Math.floor(Math.round(HC_HISTORY / DT) / PLAN_EVERY) * PLAN_EVERY;

/** Ego's past at DT, oldest first, ending with the state just before the scene's. */
export interface EgoHistory {
  readonly x: ArrayLike<number>; // [m]
  readonly y: ArrayLike<number>; // [m]
  readonly heading: ArrayLike<number>; // [rad]
  readonly speed: ArrayLike<number>; // [m/s]
  readonly accel: ArrayLike<number>; // [m/s2]
  readonly yawRate: ArrayLike<number>; // [rad/s]
}

/** The other agents over a plan: (A, PLAN_STEPS + 1) agent-major columns like EpisodeLog's; row 0 is unused. */
export interface AgentFuture {
  readonly agents: number; // A, ego included as agent 0
  readonly kind: Uint8Array; // (A,)
  readonly length: Float32Array; // (A,) [m]
  readonly width: Float32Array; // (A,) [m]
  readonly valid: Uint8Array; // (A, T)
  readonly x: Float32Array; // (A, T) [m]
  readonly y: Float32Array;
  readonly heading: Float32Array;
  readonly speed: Float32Array;
  readonly accel: Float32Array;
  readonly yawRate: Float32Array;
  readonly lights: Uint8Array; // (L, T) LightColour
  /** Per agent, the box's bounds over the future and its top speed: (A, 5) minX, minY, maxX, maxY [m], [m/s]. */
  readonly reach: Float32Array;
}

export interface PlanScene {
  readonly scenario: Scenario;
  readonly step: number; // the world step of the state the plans start from
  readonly ego: EgoStart;
  readonly egoWidth: number; // [m]
  readonly future: AgentFuture;
  /** Ego's past (a whole number of plan steps, at most HISTORY_STEPS states), for HC. */
  readonly history: EgoHistory;
  readonly historySteps: number;
  /** The positions the driver planned PLAN_SPACING earlier ((PLAN_HORIZON, 2) [m]), for EC; null when none. */
  readonly previousPlan: Float32Array | null;
  /** The expert's plan from this state as controls ((PLAN_HORIZON, 2)): it tracks the expert's next 4 s. */
  readonly expertPlan: Float64Array;
  /** Route progress of the expert's plan [m] and its NC x DAC x DDC x TLC in this scene: EP's reference. */
  readonly referenceProgress: number;
  readonly referenceMultiplier: number;
}

export interface SceneOptions {
  readonly history?: EgoHistory;
  readonly previousPlan?: Float32Array;
}

/** The next PLAN_STEPS states of the world from `state` with the expert driving (holding still when it cannot). */
function expertFuture(scenario: Scenario, state: WorldState): EpisodeLog {
  const world = new World(scenario);
  const expert = new ExpertDriver();
  const drives = expert.takeOver(scenario, state); // false off every lane: ego coasts straight
  const recorder = new EpisodeRecorder(scenario, PLAN_STEPS);
  let s = cloneState(state);
  recorder.record(s);
  for (let t = 0; t < PLAN_STEPS; t++) {
    s = world.step(s, drives ? expert.act(scenario, s).action : { accel: 0, curvature: 0 });
    recorder.record(s);
  }
  return recorder.log;
}

/** Rows [from, from + PLAN_STEPS] of every agent of `log` as an AgentFuture. */
function futureFromLog(log: EpisodeLog, from: number): AgentFuture {
  const n = log.steps + 1;
  const m = PLAN_STEPS + 1;
  const A = log.agents;
  const take = <T extends Float32Array | Uint8Array>(col: T, rows: number, make: (k: number) => T): T => {
    const out = make(rows * m);
    for (let i = 0; i < rows; i++) out.set(col.subarray(i * n + from, i * n + from + m), i * m);
    return out;
  };
  const f32 = (k: number) => new Float32Array(k);
  const future = {
    agents: A,
    kind: log.kind.slice(),
    length: log.length.slice(),
    width: log.width.slice(),
    valid: take(log.valid, A, (k) => new Uint8Array(k)),
    x: take(log.x, A, f32),
    y: take(log.y, A, f32),
    heading: take(log.heading, A, f32),
    speed: take(log.speed, A, f32),
    accel: take(log.accel, A, f32),
    yawRate: take(log.yawRate, A, f32),
    lights: take(log.lights, log.lights.length / n, (k) => new Uint8Array(k)),
    reach: new Float32Array(A * 5),
  };
  for (let i = 1; i < A; i++) {
    const r = Math.hypot(future.length[i], future.width[i]) / 2;
    let [minX, minY, maxX, maxY, top] = [Infinity, Infinity, -Infinity, -Infinity, 0];
    for (let t = 0; t < m; t++) {
      const k = i * m + t;
      if (future.valid[k] === 0) continue;
      minX = Math.min(minX, future.x[k] - r);
      minY = Math.min(minY, future.y[k] - r);
      maxX = Math.max(maxX, future.x[k] + r);
      maxY = Math.max(maxY, future.y[k] + r);
      top = Math.max(top, Math.abs(future.speed[k]));
    }
    future.reach.set([minX, minY, maxX, maxY, top], i * 5);
  }
  return future;
}

/** Route progress of a control plan from `ego` [m] (route.ts's projection, as EP measures it). */
export function planProgress(
  scenario: Scenario,
  ego: EgoStart,
  plan: ArrayLike<number>,
  rows: EgoRows,
): number {
  rollPlan(ego, plan, rows);
  const track = routeTrack(scenario.map, scenario.route, rows.x, rows.y, PLAN_STEPS + 1);
  return Math.max(0, track.s[PLAN_STEPS] - track.s[0]);
}

function egoStart(state: WorldState): EgoStart {
  const a = state.agents;
  return {
    x: a.x[0],
    y: a.y[0],
    heading: a.heading[0],
    speed: a.speed[0],
    accel: a.accel[0],
    yawRate: a.yawRate[0],
    length: a.length[0],
  };
}

/** The last whole plan steps of `history`, at most HISTORY_STEPS states. */
function trimHistory(history: EgoHistory | undefined): { history: EgoHistory; steps: number } {
  const m = history ? history.x.length : 0;
  const steps = Math.floor(Math.min(m, HISTORY_STEPS) / PLAN_EVERY) * PLAN_EVERY;
  const cut = (col: ArrayLike<number> | undefined) => Float32Array.from(col ?? []).subarray(m - steps);
  return {
    history: {
      x: cut(history?.x),
      y: cut(history?.y),
      heading: cut(history?.heading),
      speed: cut(history?.speed),
      accel: cut(history?.accel),
      yawRate: cut(history?.yawRate),
    },
    steps,
  };
}

function buildScene(
  scenario: Scenario,
  state: WorldState,
  future: AgentFuture,
  expert: EpisodeLog,
  options: SceneOptions,
): PlanScene {
  const ego = egoStart(state);
  const n = PLAN_STEPS + 1;
  const xy = new Float32Array(PLAN_HORIZON * 2);
  for (let k = 0; k < PLAN_HORIZON; k++) {
    xy[2 * k] = expert.x[(k + 1) * PLAN_EVERY];
    xy[2 * k + 1] = expert.y[(k + 1) * PLAN_EVERY];
  }
  assertRows(expert, n);
  const expertPlan = trackPositions(ego, xy);
  const { history, steps } = trimHistory(options.history);
  if (options.previousPlan && options.previousPlan.length !== PLAN_HORIZON * 2)
    throw new UsageError(
      `previousPlan: expected ${PLAN_HORIZON * 2} numbers, got ${options.previousPlan.length}`,
    );
  const scene: PlanScene = {
    scenario,
    step: state.step,
    ego,
    egoWidth: state.agents.width[0],
    future,
    history,
    historySteps: steps,
    previousPlan: options.previousPlan ?? null,
    expertPlan,
    referenceProgress: planProgress(scenario, ego, expertPlan, allocEgoRows()),
    referenceMultiplier: 1,
  };
  const m = scorePlan(scene, expertPlan).metrics;
  const term = (r: MetricResult) => (r.valid ? r.value : 1);
  return { ...scene, referenceMultiplier: MULTIPLIER_METRICS.reduce((p, name) => p * term(m[name]), 1) };
}

function assertRows(log: EpisodeLog, n: number): void {
  if (log.steps + 1 < n) throw new UsageError(`a plan scene needs ${n} states, the log has ${log.steps + 1}`);
}

/**
 * The scene of a world state: the world stepped PLAN_STEPS ahead once with the expert driving ego gives the
 * other agents' and the lights' future and the expert's plan (the EP reference). `history` (ego's past states)
 * feeds HC and `previousPlan` (the driver's plan PLAN_SPACING earlier) EC; without them HC sees no past and EC
 * is invalid.
 */
export function planScene(scenario: Scenario, state: WorldState, options: SceneOptions = {}): PlanScene {
  const expert = expertFuture(scenario, state);
  return buildScene(scenario, state, futureFromLog(expert, 0), expert, options);
}

/**
 * The scene at step `t` of a closed-loop episode `log` of `scenario`, with `state` the world state at t (the
 * log does not keep lanes and intents; replay the commands to get it, see episodeScenes): the other agents'
 * future is the log's own, ego's past and previous plan come from the log, the reference is the expert's plan
 * from `state`. Needs PLAN_STEPS logged states after t.
 */
export function sceneFromLog(scenario: Scenario, log: EpisodeLog, t: number, state: WorldState): PlanScene {
  if (t < 0 || t + PLAN_STEPS > log.steps)
    throw new UsageError(
      `step ${t}: a frame needs ${PLAN_STEPS} logged steps after it, the log has ${log.steps}`,
    );
  const from = Math.max(0, t - HISTORY_STEPS);
  const ego = (col: Float32Array) => col.subarray(from, t);
  const history = {
    x: ego(log.x),
    y: ego(log.y),
    heading: ego(log.heading),
    speed: ego(log.speed),
    accel: ego(log.accel),
    yawRate: ego(log.yawRate),
  };
  const plans = log.plans;
  const k = plans && plans.every === PLAN_EVERY && t % PLAN_EVERY === 0 ? t / PLAN_EVERY : -1;
  const size = PLAN_HORIZON * 2;
  const previousPlan = plans && k >= 1 ? plans.xy.slice((k - 1) * size, k * size) : undefined;
  return buildScene(scenario, state, futureFromLog(log, t), expertFuture(scenario, state), {
    history,
    previousPlan,
  });
}
