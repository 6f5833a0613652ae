// Ego's logged plans (PlanLog) as the motion the simulator would produce for them: each plan tracked at 0.1 s
// from ego's state when it was made (plan-tracking.ts), once per episode. Not a metric itself (HC, EC read it).

import type { PlanLog } from '../types.js';
import type { EpisodeContext } from './context.js';
import { startAt, type TrackedPlan, trackPlan } from './plan-tracking.js';

/** The state index plan k was made at (plans are logged every `every` steps from step 0). */
export function planStep(plans: PlanLog, k: number): number {
  return k * plans.every;
}

/** Number of plans made within the logged states. */
export function planCount(ctx: EpisodeContext, plans: PlanLog): number {
  const made = plans.xy.length / (plans.horizon * 2);
  return Math.min(made, Math.floor((ctx.n - 1) / plans.every) + 1);
}

const tracked = new WeakMap<EpisodeContext, readonly TrackedPlan[]>();

/** Every plan of the episode tracked from ego's logged state at its step; [] without plans. Cached per context. */
export function trackedPlans(ctx: EpisodeContext): readonly TrackedPlan[] {
  const hit = tracked.get(ctx);
  if (hit) return hit;
  const plans = ctx.log.plans;
  const out: TrackedPlan[] = [];
  if (plans) {
    const size = plans.horizon * 2;
    for (let k = 0; k < planCount(ctx, plans); k++) {
      const t = planStep(plans, k);
      const start = startAt(ctx, t);
      const xy = plans.xy.subarray(k * size, (k + 1) * size);
      out.push(trackPlan(start, xy, plans.horizon, plans.spacing, ctx.halfLength * 2, ctx.dt));
    }
  }
  tracked.set(ctx, out);
  return out;
}
