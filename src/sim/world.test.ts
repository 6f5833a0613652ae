import { describe, expect, it } from 'vitest';
import { expertLog } from './rollout.js';
import { createScenario } from './scenarios/index.js';
import { cloneState } from './state.js';
import { type EpisodeLog, LightColour } from './types.js';
import { World } from './world.js';

function logBytes(log: EpisodeLog): Buffer {
  const columns = [log.valid, log.x, log.y, log.heading, log.speed, log.accel, log.yawRate, log.lights];
  return Buffer.concat([...columns, log.egoAccelCmd, log.egoCurvatureCmd].map((c) => Buffer.from(c.buffer)));
}

describe('world', () => {
  it('gives byte-identical episode logs for the same family and seed', () => {
    for (const family of ['nominal-urban', 'dense-merge'] as const) {
      const a = expertLog(createScenario(family, 3));
      const b = expertLog(createScenario(family, 3));
      expect(logBytes(a).equals(logBytes(b))).toBe(true);
      const other = expertLog(createScenario(family, 4));
      expect(logBytes(a).equals(logBytes(other))).toBe(false);
    }
  });

  it('steps purely: the input state is untouched and stepInto agrees with step', () => {
    const scenario = createScenario('highway-cruise', 1);
    const world = new World(scenario);
    const before = cloneState(scenario.initial);
    const action = { accel: 1, curvature: 0.001 };
    const next = world.step(scenario.initial, action);
    expect(Buffer.from(scenario.initial.agents.x.buffer).equals(Buffer.from(before.agents.x.buffer))).toBe(
      true,
    );
    expect(next.step).toBe(1);
    expect(next.t).toBeCloseTo(0.1, 9);
    const into = cloneState(scenario.initial);
    world.stepInto(scenario.initial, action, into);
    expect(Buffer.from(into.agents.y.buffer).equals(Buffer.from(next.agents.y.buffer))).toBe(true);
    expect(next.agents.speed[0]).toBeCloseTo(scenario.initial.agents.speed[0] + 0.1, 5);
  });

  it('moves background traffic: vehicles advance and stop at a red light', () => {
    const scenario = createScenario('nominal-urban', 2);
    const world = new World(scenario);
    let state = scenario.initial;
    const hold = { accel: -6, curvature: 0 };
    const crossedRed: number[] = [];
    for (let t = 0; t < 150; t++) {
      const next = world.step(state, hold);
      for (let i = 1; i < next.agents.count; i++) {
        const laneId = state.agents.laneId[i];
        const stop = laneId >= 0 ? scenario.map.lanes[laneId].stopLine : null;
        if (!stop || stop.lightId < 0 || state.lights[stop.lightId] !== LightColour.red) continue;
        const half = state.agents.length[i] / 2;
        const frontBefore = state.agents.laneS[i] + half;
        const nextLane = next.agents.laneId[i];
        if (nextLane !== laneId && !scenario.map.lanes[laneId].successors.includes(nextLane)) continue; // changed lanes
        const frontAfter = nextLane === laneId ? next.agents.laneS[i] + half : Number.POSITIVE_INFINITY;
        if (frontBefore < stop.s && frontAfter >= stop.s) crossedRed.push(i); // its front crossed the line on red
      }
      state = next;
    }
    expect(crossedRed).toEqual([]);
    const moved = Array.from({ length: state.agents.count - 1 }, (_, k) => k + 1).filter(
      (i) =>
        Math.hypot(
          state.agents.x[i] - scenario.initial.agents.x[i],
          state.agents.y[i] - scenario.initial.agents.y[i],
        ) > 20,
    );
    expect(moved.length).toBeGreaterThan(3);
  });

  it('records the expert plans every 0.5 s, and a plan foresees where ego drives', () => {
    const scenario = createScenario('highway-cruise', 2);
    const log = expertLog(scenario);
    const plans = log.plans!;
    expect(plans.every).toBe(5);
    expect(plans.horizon).toBe(8);
    expect(plans.xy.length).toBe((log.steps / 5 + 1) * 8 * 2);
    const n = log.steps + 1;
    for (const k of [2, 10, 20]) {
      const at = k * 5 + 10; // 1 s after plan k: its second point
      const i = k * 8 * 2 + 2;
      expect(Math.hypot(plans.xy[i] - log.x[at], plans.xy[i + 1] - log.y[at])).toBeLessThan(1);
      expect(at).toBeLessThan(n);
    }
  });
});
