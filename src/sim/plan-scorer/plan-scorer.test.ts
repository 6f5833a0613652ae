import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, type MetricName, type MetricResult } from '../metrics/index.js';
import { expertLog } from '../rollout.js';
import { createScenario } from '../scenarios/index.js';
import { cloneState } from '../state.js';
import { AgentFlag, AgentKind, PLAN_HORIZON } from '../types.js';
import { aggregateFrames, episodeFrames, type Frame } from './frames.js';
import { allocEgoRows, planPositions, rollPlan, trackPositions } from './rollout.js';
import { HISTORY_STEPS, planScene } from './scene.js';
import { type PlanScore, scorePlan, scorePlans, scorePositions } from './score.js';

/** A constant plan: the same (accel, curvature) for all PLAN_HORIZON steps. */
function constant(accel: number, curvature: number): Float64Array {
  const plan = new Float64Array(PLAN_HORIZON * 2);
  for (let k = 0; k < PLAN_HORIZON; k++) [plan[2 * k], plan[2 * k + 1]] = [accel, curvature];
  return plan;
}

describe('scorePlan', () => {
  const highway = createScenario('highway-cruise', 0);
  const scene = planScene(highway, highway.initial);

  it("scores the expert's own plan EP 1 without collision, and PDMS from its sub-metrics", () => {
    const score = scorePlan(scene, scene.expertPlan);
    expect(scene.referenceProgress).toBeGreaterThan(20); // it drives on at highway speed
    expect(score.metrics.ep).toEqual({ value: 1, valid: true });
    expect(score.metrics.nc.value).toBe(1);
    expect(score.atFaultCollision).toBe(false);
    const m = score.metrics;
    expect(score.pdms).toBeCloseTo((5 * m.ttc.value + 5 + 2 * m.c.value) / 12, 9);
  });

  it("scores a plan of positions by tracking it: the expert's own positions score nearly its plan's EP", () => {
    const xy = planPositions(
      rollPlan(scene.ego, scene.expertPlan, allocEgoRows()),
      new Float32Array(PLAN_HORIZON * 2),
    );
    const tracked = scorePositions(scene, xy);
    expect(tracked.metrics.nc.value).toBe(1);
    expect(tracked.metrics.dac.value).toBe(1);
    expect(tracked.metrics.ep.value).toBeGreaterThan(0.97);
  });

  it("joins ego's past to the plan for HC: a hard brake just before fails a smooth plan", () => {
    expect(scorePlan(scene, scene.expertPlan).metrics.hc).toEqual({ value: 1, valid: true });
    // 1.5 s of braking at 6 m/s2 into the scene's state, along ego's heading.
    const { x, y, heading, speed } = scene.ego;
    const m = HISTORY_STEPS;
    const past = { x: [] as number[], y: [] as number[], heading: [] as number[], speed: [] as number[] };
    for (let j = m; j >= 1; j--) {
      const tau = j * 0.1; // [s] before now
      const back = speed * tau + 0.5 * 6 * tau * tau; // [m] driven since then
      past.x.push(x - Math.cos(heading) * back);
      past.y.push(y - Math.sin(heading) * back);
      past.heading.push(heading);
      past.speed.push(speed + 6 * tau);
    }
    const accel = new Array(m).fill(-6);
    const braked = planScene(highway, highway.initial, {
      history: { ...past, accel, yawRate: new Array(m).fill(0) },
    });
    expect(scorePlan(braked, braked.expertPlan).metrics.hc).toEqual({ value: 0, valid: true });
  });

  it('gives a slower plan less EP than the expert', () => {
    const slow = scorePlan(scene, constant(-3, 0));
    expect(slow.metrics.ep.value).toBeLessThan(0.9);
    expect(slow.metrics.ep.value).toBeGreaterThan(0.2);
  });

  it('gives DAC 0 to a plan that leaves the road', () => {
    const off = scorePlan(scene, constant(0, 0.1)); // a 10 m radius turn at highway speed
    expect(off.metrics.dac.value).toBe(0);
    expect(off.pdms).toBe(0);
  });

  it('gives NC 0 to a plan that drives into a stopped obstacle', () => {
    const scenario = createScenario('stalled-obstacle', 0);
    const a = scenario.initial.agents;
    const blocker = Array.from({ length: a.count }, (_, i) => i).find(
      (i) =>
        i > 0 &&
        (a.kind[i] === AgentKind.obstacle || (scenario.initial.intents.flags[i] & AgentFlag.stalled) !== 0),
    )!;
    // Ego moved up its lane to 25 m (centre to centre) behind the stalled car, keeping its speed (10.5 m/s).
    const state = cloneState(scenario.initial);
    const shift = state.agents.x[blocker] - 25 - state.agents.x[0];
    state.agents.x[0] += shift;
    state.agents.laneS[0] += shift;
    const s = planScene(scenario, state);
    const crash = scorePlan(s, constant(0, 0));
    expect(crash.metrics.nc.value).toBe(0);
    expect(crash.collisions.some((c) => c.agent === blocker && c.atFault)).toBe(true);
    expect(scorePlan(s, s.expertPlan).metrics.nc.value).toBe(1);
  });

  it('scores a batch exactly as one plan at a time, and the same scene twice the same', () => {
    const plans = [scene.expertPlan, constant(-3, 0), constant(0, 0.1), constant(2, -0.01), scene.expertPlan];
    const one = plans.map((p) => scorePlan(scene, p));
    expect(scorePlans(scene, plans)).toEqual(one);
    const again = planScene(highway, highway.initial);
    expect(scorePlans(again, plans)).toEqual(one);
  });
});

describe('trackPositions', () => {
  it('recovers the controls that drove to a plan of positions', () => {
    const ego = { x: 3, y: -2, heading: 0.3, speed: 8, accel: 0, yawRate: 0, length: 5 };
    const controls = new Float64Array([
      1, 0.01, 0.5, 0.02, 0, 0.02, -1, 0, -2, -0.01, -1, -0.02, 0, 0, 0.5, 0,
    ]);
    const xy = planPositions(rollPlan(ego, controls, allocEgoRows()), new Float32Array(PLAN_HORIZON * 2));
    const tracked = trackPositions(ego, xy);
    for (let i = 0; i < controls.length; i++) expect(tracked[i]).toBeCloseTo(controls[i], 2);
  });
});

describe('episodeFrames', () => {
  it("scores every decision point with 4 s of log after it; the expert's frames are clean", () => {
    const scenario = { ...createScenario('lead-brake', 0), horizon: 60 };
    const frames = episodeFrames(scenario, expertLog(scenario));
    expect(frames.map((f) => f.step)).toEqual([0, 5, 10, 15, 20]);
    for (const f of frames) {
      expect(f.driver.metrics.nc.value).toBe(1);
      // Its logged plan (open loop: the leader holds its speed) against its closed-loop drive from the same state,
      // and the expert itself scores a clean frame there.
      expect(f.driver.metrics.ep.value).toBeGreaterThan(0.85);
      expect(f.expert.epdms).toBe(1);
      expect(f.driver.metrics.ec.valid).toBe(f.step > 0); // EC needs the plan before
    }
  });
});

describe('aggregateFrames', () => {
  const scenario = createScenario('jaywalker', 0);
  const pass = (): Record<MetricName, MetricResult> =>
    Object.fromEntries(METRIC_NAMES.map((n) => [n, { value: 1, valid: true }])) as Record<
      MetricName,
      MetricResult
    >;
  const score = (metrics: Record<MetricName, MetricResult>): PlanScore => ({
    metrics,
    pdms: 0,
    epdms: 0,
    atFaultCollision: metrics.nc.value === 0,
    collisions: [],
  });
  const crashed = { ...pass(), nc: { value: 0, valid: true }, ep: { value: 0.5, valid: true } };
  const frames: Frame[] = [
    {
      scenario,
      step: 0,
      driver: score(crashed),
      expert: score({ ...pass(), nc: { value: 0, valid: true } }),
    },
    { scenario, step: 5, driver: score(crashed), expert: score(pass()) },
    {
      scenario,
      step: 10,
      driver: score({ ...pass(), ep: { value: 0.5, valid: true } }),
      expert: score(pass()),
    },
  ];

  it('averages per-frame scores, and the human filter forgives what the expert fails too', () => {
    const plain = aggregateFrames(frames, { humanFilter: false });
    // Frames: 0, 0, (5 + 5 * 0.5 + 2) / 12 = 0.791667 -> mean 0.263889.
    expect(plain.pdms).toBeCloseTo(0.791667 / 3, 5);
    expect(plain.atFaultCollisions).toBe(2);
    const filtered = aggregateFrames(frames, { humanFilter: true });
    // Frame 0's collision is the expert's too: 0.791667 there, EP (measured against the expert) kept.
    expect(filtered.pdms).toBeCloseTo((2 * 0.791667) / 3, 5);
    expect(filtered.atFaultCollisions).toBe(1);
  });
});
