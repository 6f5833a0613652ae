// HC, history comfort (NAVSIM v2 `_calculate_history_comfort` in pdm_scorer.py): the six comfort bounds of
// comfort.ts on ego's past 1.5 s joined to each plan as simulated at 0.1 s. Not plan consistency (EC).

import { comfortableAt } from './comfort.js';
import type { EpisodeContext } from './context.js';
import { kinematics, type MotionStates } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';
import type { TrackedPlan } from './plan-tracking.js';
import { planStep, trackedPlans } from './plans.js';

/** Ego's past joined before each plan (NAVSIM's get_ego_past_trajectory(0, 1.5)). */
export const HC_HISTORY = 1.5; // [s]

/**
 * HC per state: at the state t a plan was made, 1 if [ego's logged motion states t - 15 .. t - 1 (as far as the
 * log goes back), the plan tracked from state t (41 states, plan-tracking.ts)] is inside all six comfort bounds
 * at every sample, else 0; invalid at states without a plan, everywhere when the log has no plans.
 * Deliberate difference: NAVSIM interpolates the past at 0.1 s, drops its last sample and then treats the joined
 * series as evenly spaced; here the joined series is the true 0.1 s timeline.
 * Episode HC is the mean over plans (NAVSIM averages its per-frame binary HC over frames).
 */
export function historyComfortSeries(ctx: EpisodeContext): StepSeries {
  const series = passingSeries(ctx.n);
  series.valid.fill(0);
  const plans = ctx.log.plans;
  if (!plans) return series;
  const past = Math.round(HC_HISTORY / ctx.dt);
  trackedPlans(ctx).forEach((plan, k) => {
    const step = planStep(plans, k);
    const from = Math.max(0, step - past);
    const states = {
      n: step - from,
      heading: ctx.heading.subarray(from, step),
      speed: ctx.speed.subarray(from, step),
      accel: ctx.accel.subarray(from, step),
      yawRate: ctx.yawRate.subarray(from, step),
    };
    series.values[step] = historyComfortable(states, plan, ctx.dt) ? 1 : 0;
    series.valid[step] = 1;
  });
  return series;
}

/**
 * HC of one plan: whether [`past` (ego's logged motion states just before the plan, oldest first), the plan
 * tracked from its start] is inside all six comfort bounds at every sample. The plan scorer calls it directly.
 */
export function historyComfortable(past: MotionStates, plan: TrackedPlan, dt: number): boolean {
  const h = past.n;
  const m = h + plan.n;
  const join = (log: ArrayLike<number>, tail: Float64Array) => {
    const out = new Float64Array(m);
    for (let t = 0; t < h; t++) out[t] = log[t];
    out.set(tail, h);
    return out;
  };
  const kin = kinematics(
    {
      n: m,
      heading: join(past.heading, plan.heading),
      speed: join(past.speed, plan.speed),
      accel: join(past.accel, plan.accel),
      yawRate: join(past.yawRate, plan.yawRate),
    },
    dt,
  );
  for (let t = 0; t < m; t++) if (!comfortableAt(kin, t)) return false;
  return true;
}
