// NAVSIM's frame score in our simulator: a 4 s control plan from a plan scene -> every sub-metric, PDMS and
// EPDMS, through the metrics package's own code. Not the scene (scene.ts) nor the mean over frames (frames.ts).
//
// Each plan becomes a short EpisodeLog (ego rolled through the bicycle, the scene's agents that can come near it,
// the lights) scored by EpisodeContext and episodeSeries, so the scorer uses whatever the metrics compute. HC and
// EC, which need ego's past and the previous plan, are the metrics' own per-plan judgments (historyComfortable,
// consistentPlans) on the plan's positions every 0.5 s tracked again at 0.1 s (plan-tracking.ts), as the
// metrics would judge an ego-only log [past, plan] with both plans logged; the previous plan's track is made
// once per scene.

import { type BicycleState, inverseBicycle } from '../agents/bicycle.js';
import type { CollisionEvent } from '../metrics/collision.js';
import { consistentPlans } from '../metrics/extended-comfort.js';
import { historyComfortable } from '../metrics/history-comfort.js';
import {
  EpisodeContext,
  epdms,
  episodeSeries,
  type MetricName,
  type MetricResult,
  pdms,
  scoreSeries,
} from '../metrics/index.js';
import type { MotionStates } from '../metrics/kinematics.js';
import { startAt, type TrackedPlan, trackPlan } from '../metrics/plan-tracking.js';
import { TTC_STEPS } from '../metrics/ttc.js';
import { DT, type EpisodeLog, PLAN_EVERY, PLAN_HORIZON, PLAN_SPACING } from '../types.js';
import { allocEgoRows, EGO_COLUMNS, type EgoRows, PLAN_STEPS, planPositions, rollPlan } from './rollout.js';
import type { PlanScene } from './scene.js';

/**
 * [s] an agent counts as near a plan when its and ego's swept boxes are this many seconds of both top speeds
 * apart or closer: TTC's farthest constant-velocity projection (of ego, and of agents past the log's end).
 */
const NEAR_HORIZON = TTC_STEPS[TTC_STEPS.length - 1] * DT;
const NEAR_MARGIN = 1; // [m] on top

export interface PlanScore {
  readonly metrics: Readonly<Record<MetricName, MetricResult>>;
  readonly pdms: number;
  readonly epdms: number;
  readonly atFaultCollision: boolean;
  /** Collisions of the plan; `agent` indexes the scene's agents (the world state's). */
  readonly collisions: readonly CollisionEvent[];
}

/** Per-scene buffers reused across plans (scoring is synchronous, so one set per scene suffices). */
interface Scratch {
  readonly rows: EgoRows;
  readonly order: Int32Array; // (A,) packed row -> scene agent
  readonly packed: Int32Array; // (A,) the order whose agent rows `log` holds, for `packedCount` rows
  packedCount: number; // 0 before the first plan
  view: EpisodeLog | null; // the packed log's views, valid while `packed` is unchanged
  readonly log: Omit<EpisodeLog, 'agents' | 'plans'>; // full-size columns, packed near agents first
  readonly planXy: Float32Array; // (PLAN_HORIZON, 2) the scored plan's positions, as a PlanLog holds them
  readonly past: MotionStates; // ego's past (the scene's history), for HC
  readonly egoLength: number; // [m] ego's length as a log holds it (float32)
  /** The previous plan tracked from ego's state PLAN_EVERY steps back, for EC; null without one. */
  readonly previous: TrackedPlan | null;
}

const scratches = new WeakMap<PlanScene, Scratch>();

function scratchOf(scene: PlanScene): Scratch {
  let s = scratches.get(scene);
  if (s) return s;
  const f = scene.future;
  const n = PLAN_STEPS + 1;
  const size = f.agents * n;
  const m = scene.historySteps;
  const hist = scene.history;
  const egoLength = Float32Array.of(scene.ego.length)[0];
  const f32 = (col: ArrayLike<number>) => Float32Array.from(col); // as a log holds them
  const past = {
    x: f32(hist.x),
    y: f32(hist.y),
    heading: f32(hist.heading),
    speed: f32(hist.speed),
    accel: f32(hist.accel),
    yawRate: f32(hist.yawRate),
  };
  const back = m - PLAN_EVERY; // the state the previous plan was made at
  const previous =
    scene.previousPlan && back >= 0
      ? trackPlan(startAt(past, back), scene.previousPlan, PLAN_HORIZON, PLAN_SPACING, egoLength, DT)
      : null;
  const { family, seed } = scene.scenario;
  s = {
    rows: allocEgoRows(),
    order: new Int32Array(f.agents),
    packed: new Int32Array(f.agents),
    packedCount: 0,
    view: null,
    log: {
      family,
      seed,
      steps: PLAN_STEPS,
      kind: new Uint8Array(f.agents),
      length: new Float32Array(f.agents),
      width: new Float32Array(f.agents),
      valid: new Uint8Array(size),
      x: new Float32Array(size),
      y: new Float32Array(size),
      heading: new Float32Array(size),
      speed: new Float32Array(size),
      accel: new Float32Array(size),
      yawRate: new Float32Array(size),
      lights: f.lights,
      egoAccelCmd: new Float32Array(PLAN_STEPS),
      egoCurvatureCmd: new Float32Array(PLAN_STEPS),
    },
    planXy: new Float32Array(PLAN_HORIZON * 2),
    past: {
      n: m,
      heading: past.heading.subarray(0, m),
      speed: past.speed.subarray(0, m),
      accel: past.accel.subarray(0, m),
      yawRate: past.yawRate.subarray(0, m),
    },
    egoLength,
    previous,
  };
  scratches.set(scene, s);
  return s;
}

/**
 * The plan's EpisodeLog: ego's rows, then the agents whose swept boxes come near ego's (an AABB test on bounds
 * precomputed per scene), packed; `order` maps packed rows back to scene agents. Views into the scratch buffers,
 * whose agent rows are copied only when the near agents differ from the previous plan's.
 */
function planLog(scene: PlanScene, s: Scratch): EpisodeLog {
  const f = scene.future;
  const n = PLAN_STEPS + 1;
  const rows = s.rows;
  const egoR = Math.hypot(scene.ego.length, scene.egoWidth) / 2;
  let [minX, minY, maxX, maxY, top] = [Infinity, Infinity, -Infinity, -Infinity, 0];
  for (let t = 0; t < n; t++) {
    minX = Math.min(minX, rows.x[t]);
    minY = Math.min(minY, rows.y[t]);
    maxX = Math.max(maxX, rows.x[t]);
    maxY = Math.max(maxY, rows.y[t]);
    top = Math.max(top, rows.speed[t]);
  }
  const log = s.log;
  let count = 1; // packed rows
  s.order[0] = 0;
  for (let i = 1; i < f.agents; i++) {
    const r = f.reach;
    const pad = egoR + NEAR_MARGIN + NEAR_HORIZON * (top + r[i * 5 + 4]);
    if (
      r[i * 5] > maxX + pad ||
      r[i * 5 + 2] < minX - pad ||
      r[i * 5 + 1] > maxY + pad ||
      r[i * 5 + 3] < minY - pad
    )
      continue; // also skips agents never valid (their bounds are empty)
    s.order[count++] = i;
  }
  log.valid.fill(1, 0, n);
  for (const c of EGO_COLUMNS) log[c].set(rows[c], 0);
  if (s.view && samePacking(s, count)) return s.view; // the agents' rows are already in place
  for (let p = 0; p < count; p++) {
    const i = s.order[p];
    s.packed[p] = i;
    log.kind[p] = f.kind[i];
    log.length[p] = f.length[i];
    log.width[p] = f.width[i];
    if (p === 0) continue;
    const from = i * n;
    log.valid.set(f.valid.subarray(from, from + n), p * n);
    for (const c of EGO_COLUMNS) log[c].set(f[c].subarray(from, from + n), p * n);
  }
  s.packedCount = count;
  const size = count * n;
  s.view = {
    ...log,
    agents: count,
    kind: log.kind.subarray(0, count),
    length: log.length.subarray(0, count),
    width: log.width.subarray(0, count),
    valid: log.valid.subarray(0, size),
    x: log.x.subarray(0, size),
    y: log.y.subarray(0, size),
    heading: log.heading.subarray(0, size),
    speed: log.speed.subarray(0, size),
    accel: log.accel.subarray(0, size),
    yawRate: log.yawRate.subarray(0, size),
    plans: null,
  };
  return s.view;
}

/** Whether the scratch log already holds the agents of `s.order` (the first `count`), packed in that order. */
function samePacking(s: Scratch, count: number): boolean {
  if (count !== s.packedCount) return false;
  for (let p = 0; p < count; p++) if (s.order[p] !== s.packed[p]) return false;
  return true;
}

/**
 * HC and EC of the plan: its positions tracked from the plan's start, HC joined after ego's past, EC against
 * the previous plan's track one plan step earlier (invalid without a previous plan or past).
 */
function planComfort(s: Scratch): { hc: MetricResult; ec: MetricResult } {
  planPositions(s.rows, s.planXy);
  const plan = trackPlan(startAt(s.rows, 0), s.planXy, PLAN_HORIZON, PLAN_SPACING, s.egoLength, DT);
  const hc = { value: historyComfortable(s.past, plan, DT) ? 1 : 0, valid: true };
  const ok = s.previous ? consistentPlans(s.previous, plan, PLAN_EVERY, DT) : null;
  const ec = ok === null ? { value: 1, valid: false } : { value: ok ? 1 : 0, valid: true };
  return { hc, ec };
}

/** Scores ego's rows over the plan, already in the scene's scratch (with the commands that made them). */
function scoreRows(scene: PlanScene, s: Scratch): PlanScore {
  const log = planLog(scene, s);
  const ctx = new EpisodeContext(scene.scenario, log, {
    referenceProgress: scene.referenceProgress,
    referenceMultiplier: scene.referenceMultiplier,
  });
  const score = scoreSeries(ctx, episodeSeries(ctx));
  const metrics = { ...score.metrics, ...planComfort(s) };
  const order = s.order;
  return {
    metrics,
    pdms: pdms(metrics),
    epdms: epdms(metrics),
    atFaultCollision: score.atFaultCollision,
    collisions: score.collisions.map((c) => ({ ...c, agent: order[c.agent] })),
  };
}

/** Scores one control plan ((PLAN_HORIZON, 2) [accel m/s2, curvature 1/m]) in its scene. */
export function scorePlan(scene: PlanScene, plan: ArrayLike<number>): PlanScore {
  const s = scratchOf(scene);
  rollPlan(scene.ego, plan, s.rows);
  for (let t = 0; t < PLAN_STEPS; t++) {
    const k = Math.floor(t / PLAN_EVERY);
    s.log.egoAccelCmd[t] = plan[2 * k];
    s.log.egoCurvatureCmd[t] = plan[2 * k + 1];
  }
  return scoreRows(scene, s);
}

/**
 * Scores a plan of positions ((PLAN_HORIZON, 2) [m], PLAN_SPACING apart, as drivers log them): tracked at DT
 * from the scene's ego state by the metrics' plan tracker (trackPlan, the stand-in for NAVSIM's LQR), whose
 * states are scored as scorePlan scores a rolled control plan. The logged commands are the realised ones.
 */
export function scorePositions(scene: PlanScene, xy: ArrayLike<number>): PlanScore {
  const s = scratchOf(scene);
  const tracked = trackPlan(scene.ego, xy, PLAN_HORIZON, PLAN_SPACING, scene.ego.length, DT);
  for (const c of EGO_COLUMNS) s.rows[c].set(tracked[c]);
  for (let t = 0; t < PLAN_STEPS; t++) {
    const step = inverseBicycle(rowState(s.rows, t), rowState(s.rows, t + 1), DT);
    s.log.egoAccelCmd[t] = step.accel;
    s.log.egoCurvatureCmd[t] = step.curvature;
  }
  return scoreRows(scene, s);
}

function rowState(rows: EgoRows, t: number): BicycleState {
  return { x: rows.x[t], y: rows.y[t], heading: rows.heading[t], speed: rows.speed[t] };
}

/** Scores G plans in one scene (RL's group of sampled plans); the same results as scorePlan one by one. */
export function scorePlans(scene: PlanScene, plans: readonly ArrayLike<number>[]): PlanScore[] {
  return plans.map((plan) => scorePlan(scene, plan));
}
