// HC, history comfort (NAVSIM v2 `_calculate_history_comfort` in pdm_scorer.py): the six comfort bounds of
// comfort.ts on ego's past 1.5 s joined to each plan as simulated at 0.1 s. Not plan consistency (EC).

import { comfortableAt } from './comfort.js';
import type { EpisodeContext } from './context.js';
import { kinematics } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';
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
    const h = step - from;
    const m = h + plan.n;
    const join = (log: Float32Array, tail: Float64Array) => {
      const out = new Float64Array(m);
      out.set(log.subarray(from, step));
      out.set(tail, h);
      return out;
    };
    const kin = kinematics(
      {
        n: m,
        heading: join(ctx.heading, plan.heading),
        speed: join(ctx.speed, plan.speed),
        accel: join(ctx.accel, plan.accel),
        yawRate: join(ctx.yawRate, plan.yawRate),
      },
      ctx.dt,
    );
    let ok = true;
    for (let t = 0; t < m && ok; t++) ok = comfortableAt(kin, t);
    series.values[step] = ok ? 1 : 0;
    series.valid[step] = 1;
  });
  return series;
}
