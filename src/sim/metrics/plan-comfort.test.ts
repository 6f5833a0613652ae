import { describe, expect, it } from 'vitest';
import type { PlanLog } from '../types.js';
import { EpisodeContext } from './context.js';
import { extendedComfortSeries } from './extended-comfort.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { historyComfortSeries } from './history-comfort.js';
import { reduceMean } from './metric.js';

const EVERY = 5; // [steps]
const HORIZON = 8;
const SPACING = 0.5; // [s]
const STEPS = 40;

/** Plans from ego's position at each plan step (ego cruises at 10 m/s from x = 10), accelerating at accel(k). */
function plans(accel: (k: number) => number): PlanLog {
  const count = STEPS / EVERY + 1;
  const xy = new Float32Array(count * HORIZON * 2);
  for (let k = 0; k < count; k++) {
    const x0 = 10 + 10 * k * EVERY * 0.1;
    for (let h = 0; h < HORIZON; h++) {
      const tau = (h + 1) * SPACING;
      xy[(k * HORIZON + h) * 2] = x0 + 10 * tau + 0.5 * accel(k) * tau * tau;
    }
  }
  return { every: EVERY, horizon: HORIZON, spacing: SPACING, xy };
}

function context(plan: PlanLog | undefined) {
  return new EpisodeContext(
    scenarioOn(twoWayRoad()),
    buildLog({ steps: STEPS, agents: [straightMotion(10, 10)], plans: plan }),
  );
}

describe('HC and EC: plan comfort', () => {
  it('pass steady plans that agree with each other', () => {
    const ctx = context(plans(() => 0));
    expect(reduceMean(historyComfortSeries(ctx))).toEqual({ value: 1, valid: true });
    expect(reduceMean(extendedComfortSeries(ctx))).toEqual({ value: 1, valid: true });
  });

  it('HC fails plans that brake at -6 m/s2 after a steady past', () => {
    const hc = reduceMean(historyComfortSeries(context(plans((k) => (k === 4 ? -6 : 0)))));
    expect(hc.valid).toBe(true);
    expect(hc.value).toBeCloseTo(8 / 9, 6);
  });

  it('EC fails plans that flip between cruising and accelerating at 2 m/s2', () => {
    const ec = reduceMean(extendedComfortSeries(context(plans((k) => (k % 2 === 0 ? 0 : 2)))));
    expect(ec).toEqual({ value: 0, valid: true });
  });

  it('are invalid without plans', () => {
    const ctx = context(undefined);
    expect(reduceMean(historyComfortSeries(ctx)).valid).toBe(false);
    expect(reduceMean(extendedComfortSeries(ctx)).valid).toBe(false);
  });

  it('EC passes a replan whose yaw rate differs by 0.09 rad/s at 10 m/s and fails one of 0.11', () => {
    // Ego cruises straight at 10 m/s. Plan 0 (state 0) goes straight on; plan 1 (state 5, x = 15) is an arc
    // tangent to ego's heading with curvature dw / 10 m/s, points 5 m of arc apart. Pure pursuit aims at once at
    // that curvature (the arc through ego tangent to its heading through the lookahead point is the arc
    // itself), so as simulated plan 1 turns at about dw and plan 0 at 0: over their 36 shared states the
    // yaw-rate difference has RMS about dw (0.94 dw measured: the 0.05 s steering lag and the tracker's
    // settling keep it a little under); speeds, hence |longitudinal accel| and jerk, agree and the yaw
    // accelerations stay small. dw = 0.09 (RMS 0.085 <= 0.1) passes; 0.11 (0.104) fails. The old rule
    // differentiated the 0.5 s points and put v * yaw rate into |accel|: 10 * 0.09 = 0.9 m/s2 > 0.7 failed both.
    const ec = (dw: number) => {
      const k = dw / 10; // [1/m]
      const xy = new Float32Array(2 * HORIZON * 2);
      for (let h = 0; h < HORIZON; h++) {
        const s = 5 * (h + 1); // [m]
        xy[2 * h] = 10 + s;
        xy[(HORIZON + h) * 2] = 15 + Math.sin(k * s) / k;
        xy[(HORIZON + h) * 2 + 1] = (1 - Math.cos(k * s)) / k;
      }
      const plan: PlanLog = { every: EVERY, horizon: HORIZON, spacing: SPACING, xy };
      const log = buildLog({ steps: EVERY, agents: [straightMotion(10, 10)], plans: plan });
      return reduceMean(extendedComfortSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log)));
    };
    expect(ec(0.09)).toEqual({ value: 1, valid: true });
    expect(ec(0.11)).toEqual({ value: 0, valid: true });
  });
});
