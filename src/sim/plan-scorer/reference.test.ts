// The plan scorer against the straightforward path it shortcuts: every scene agent in one EpisodeLog scored by
// EpisodeContext / episodeSeries, and HC and EC from a second, ego-only log [past, plan] with both plans logged.

import { describe, expect, it } from 'vitest';
import { extendedComfortSeries } from '../metrics/extended-comfort.js';
import { historyComfortSeries } from '../metrics/history-comfort.js';
import type { MetricResult, StepSeries } from '../metrics/index.js';
import { EpisodeContext, epdms, episodeSeries, pdms, scoreSeries } from '../metrics/index.js';
import { createScenario } from '../scenarios/index.js';
import { AgentKind, type EpisodeLog, PLAN_EVERY, PLAN_HORIZON, PLAN_SPACING } from '../types.js';
import { allocEgoRows, EGO_COLUMNS, PLAN_STEPS, planPositions, rollPlan } from './rollout.js';
import { HISTORY_STEPS, type PlanScene, planScene } from './scene.js';
import { scorePlans } from './score.js';

/** The scene's full future with ego's rows of the plan in row 0. */
function fullLog(scene: PlanScene, plan: Float64Array): EpisodeLog {
  const f = scene.future;
  const n = PLAN_STEPS + 1;
  const rows = rollPlan(scene.ego, plan, allocEgoRows());
  const log = {
    family: scene.scenario.family,
    seed: scene.scenario.seed,
    agents: f.agents,
    steps: PLAN_STEPS,
    kind: f.kind,
    length: f.length,
    width: f.width,
    valid: f.valid.slice().fill(1, 0, n),
    x: f.x.slice(),
    y: f.y.slice(),
    heading: f.heading.slice(),
    speed: f.speed.slice(),
    accel: f.accel.slice(),
    yawRate: f.yawRate.slice(),
    lights: f.lights,
    egoAccelCmd: new Float32Array(PLAN_STEPS).map((_, t) => plan[2 * Math.floor(t / PLAN_EVERY)]),
    egoCurvatureCmd: new Float32Array(PLAN_STEPS).map((_, t) => plan[2 * Math.floor(t / PLAN_EVERY) + 1]),
    plans: null,
  };
  for (const c of EGO_COLUMNS) log[c].set(rows[c], 0);
  return log;
}

/** Ego alone over [past, plan], the previous plan logged at every slot before the plan's (only the last is read). */
function comfortLog(scene: PlanScene, plan: Float64Array): EpisodeLog {
  const rows = rollPlan(scene.ego, plan, allocEgoRows());
  const m = scene.historySteps;
  const h = m + PLAN_STEPS + 1;
  const join = (past: ArrayLike<number>, now: Float32Array) => {
    const out = new Float32Array(h);
    out.set(Float32Array.from(past).subarray(0, m));
    out.set(now, m);
    return out;
  };
  const size = PLAN_HORIZON * 2;
  const slots = m / PLAN_EVERY + 1;
  const xy = new Float32Array(slots * size);
  for (let k = 0; k < slots - 1; k++) if (scene.previousPlan) xy.set(scene.previousPlan, k * size);
  planPositions(rows, xy.subarray((slots - 1) * size));
  const p = scene.history;
  return {
    family: scene.scenario.family,
    seed: scene.scenario.seed,
    agents: 1,
    steps: h - 1,
    kind: Uint8Array.of(AgentKind.ego),
    length: Float32Array.of(scene.ego.length),
    width: Float32Array.of(scene.egoWidth),
    valid: new Uint8Array(h).fill(1),
    x: join(p.x, rows.x),
    y: join(p.y, rows.y),
    heading: join(p.heading, rows.heading),
    speed: join(p.speed, rows.speed),
    accel: join(p.accel, rows.accel),
    yawRate: join(p.yawRate, rows.yawRate),
    lights: new Uint8Array(0),
    egoAccelCmd: new Float32Array(h - 1),
    egoCurvatureCmd: new Float32Array(h - 1),
    plans: { every: PLAN_EVERY, horizon: PLAN_HORIZON, spacing: PLAN_SPACING, xy },
  };
}

function reference(scene: PlanScene, plan: Float64Array) {
  const ctx = new EpisodeContext(scene.scenario, fullLog(scene, plan), {
    referenceProgress: scene.referenceProgress,
    referenceMultiplier: scene.referenceMultiplier,
  });
  const score = scoreSeries(ctx, episodeSeries(ctx));
  const comfort = new EpisodeContext(scene.scenario, comfortLog(scene, plan));
  const m = scene.historySteps;
  const at = (s: StepSeries): MetricResult => ({ value: s.values[m], valid: s.valid[m] === 1 });
  const hc = at(historyComfortSeries(comfort));
  const ec =
    scene.previousPlan && m >= PLAN_EVERY ? at(extendedComfortSeries(comfort)) : { value: 1, valid: false };
  const metrics = { ...score.metrics, hc, ec };
  return {
    metrics,
    pdms: pdms(metrics),
    epdms: epdms(metrics),
    atFaultCollision: score.atFaultCollision,
    collisions: score.collisions,
  };
}

/** The expert's plan, and plans around it: harder and softer, curving either way, braking hard. */
function plans(scene: PlanScene): Float64Array[] {
  const out = [scene.expertPlan];
  for (const [da, dk] of [
    [2.4, 0],
    [-1.6, 0.006],
    [0.8, -0.006],
    [-6, 0],
    [3, 0.03],
  ]) {
    const plan = scene.expertPlan.slice();
    for (let k = 0; k < PLAN_HORIZON; k++)
      [plan[2 * k], plan[2 * k + 1]] = [plan[2 * k] + da, plan[2 * k + 1] + dk];
    out.push(plan);
  }
  out.push(new Float64Array(PLAN_HORIZON * 2).map((_, i) => (i % 2 === 1 ? 0.01 : 0))); // curving off left
  return out;
}

/** A scene with 1.5 s of past (ego braking gently into it) and a previous plan, so HC and EC are judged. */
function sceneWithPast(family: string): PlanScene {
  const scenario = createScenario(family, 1);
  const plain = planScene(scenario, scenario.initial);
  const { x, y, heading, speed } = plain.ego;
  const past = { x: [] as number[], y: [] as number[], heading: [] as number[], speed: [] as number[] };
  for (let j = HISTORY_STEPS; j >= 1; j--) {
    const tau = j * 0.1; // [s] before now
    const back = speed * tau + 0.5 * tau * tau; // [m] at 1 m/s2 of braking
    past.x.push(x - Math.cos(heading) * back);
    past.y.push(y - Math.sin(heading) * back);
    past.heading.push(heading);
    past.speed.push(speed + tau);
  }
  const history = { ...past, accel: past.x.map(() => -1), yawRate: past.x.map(() => 0) };
  // Made 0.5 s ago: the expert's positions one plan step earlier (ego's own now first), drifting left a little.
  const rows = rollPlan(plain.ego, plain.expertPlan, allocEgoRows());
  const previousPlan = new Float32Array(PLAN_HORIZON * 2);
  for (let k = 0; k < PLAN_HORIZON; k++) {
    previousPlan[2 * k] = rows.x[k * PLAN_EVERY];
    previousPlan[2 * k + 1] = rows.y[k * PLAN_EVERY] + 0.02 * k;
  }
  return planScene(scenario, scenario.initial, { history, previousPlan });
}

describe('scorePlans against the plain path', () => {
  it.each(['highway-cruise', 'stalled-obstacle', 'unprotected-left'])(
    'gives the same scores in %s',
    (family) => {
      const scenario = createScenario(family, 0);
      const scene = planScene(scenario, scenario.initial);
      const group = plans(scene);
      const scores = scorePlans(scene, group);
      expect(scores).toEqual(group.map((plan) => reference(scene, plan)));
      if (family === 'stalled-obstacle') expect(scores.some((s) => s.collisions.length > 0)).toBe(true);
    },
  );

  it('gives the same HC and EC with a past and a previous plan', () => {
    const ec = new Set<number>();
    for (const family of ['lead-brake', 'cut-in', 'highway-cruise']) {
      const scene = sceneWithPast(family);
      const group = plans(scene);
      const scores = scorePlans(scene, group);
      expect(scores.every((s) => s.metrics.hc.valid && s.metrics.ec.valid)).toBe(true);
      for (const s of scores) ec.add(s.metrics.ec.value);
      expect(scores).toEqual(group.map((plan) => reference(scene, plan)));
    }
    expect(ec).toEqual(new Set([0, 1])); // some plans pass EC, some fail
  });
});
