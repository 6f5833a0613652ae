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
});
