// TTC, time to collision within bound (NAVSIM v1/v2 `time_to_collision_within_bound`, after nuPlan's metric):
// fails at a state if a constant-velocity projection puts ego into a relevant agent within 0.9 s. Not NC.

import { boxesOverlap, motionHeading } from './boxes.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** Projection times [s]: NAVSIM's grid (future_time_idcs 0, 3, 6, 9 at 0.1 s), equivalent to nuPlan's 0.95 s bound. */
export const TTC_TIMES = [0, 0.3, 0.6, 0.9] as const;
/** At or below this speed ego is stopped and TTC is not judged (NAVSIM stopped_speed_threshold). */
export const TTC_STOPPED_SPEED = 0.005; // [m/s]
const COS_AHEAD = Math.cos((30 * Math.PI) / 180); // is_agent_ahead: within 30 deg of ego's heading
const COS_BEHIND = Math.cos((150 * Math.PI) / 180); // is_agent_behind: more than 150 deg off it

/**
 * TTC per state. The variant: NAVSIM's time grid and relevance rule with nuPlan's projection of both sides.
 * At state t, ego and every agent move on at constant velocity along their headings (nuPlan; NAVSIM instead
 * reads the agents' logged future, which a closed-loop reward cannot see yet) for each time in TTC_TIMES;
 * if the projected boxes overlap and the agent is relevant, TTC(t) = 0. Relevant: the agent's projected centre
 * lies within 30 deg of ego's direction of motion, or ego straddles lanes, is off the drivable area or is in a
 * junction and the agent is not more than 150 deg off (behind). Invalid (ignored) where |ego speed| <= 0.005 m/s.
 * Episode TTC is the minimum over valid states.
 */
export function ttcSeries(ctx: EpisodeContext): StepSeries {
  const { log, n } = ctx;
  const series = passingSeries(n);
  const egoRadius = Math.hypot(ctx.halfLength, ctx.halfWidth);
  const lastTime = TTC_TIMES[TTC_TIMES.length - 1];
  for (let t = 0; t < n; t++) {
    const v = ctx.speed[t];
    if (ctx.valid[t] === 0 || Math.abs(v) <= TTC_STOPPED_SPEED) {
      series.valid[t] = 0;
      continue;
    }
    const h = ctx.heading[t];
    const ec = Math.cos(h);
    const es = Math.sin(h);
    const mh = motionHeading(h, v);
    const fx = Math.cos(mh);
    const fy = Math.sin(mh);
    for (let a = 1; a < log.agents && series.values[t] === 1; a++) {
      const i = a * n + t;
      if (log.valid[i] === 0) continue;
      const hl = log.length[a] / 2;
      const hw = log.width[a] / 2;
      const ac = Math.cos(log.heading[i]);
      const as = Math.sin(log.heading[i]);
      const va = log.speed[i];
      // Broad phase: relative motion over the whole horizon cannot close the gap.
      const reach = egoRadius + Math.hypot(hl, hw) + Math.abs(v) * lastTime + Math.abs(va) * lastTime;
      const dx0 = log.x[i] - ctx.x[t];
      const dy0 = log.y[i] - ctx.y[t];
      if (dx0 * dx0 + dy0 * dy0 > reach * reach) continue;
      for (const tau of TTC_TIMES) {
        const ex = ctx.x[t] + ec * v * tau;
        const ey = ctx.y[t] + es * v * tau;
        const ax = log.x[i] + ac * va * tau;
        const ay = log.y[i] + as * va * tau;
        if (!boxesOverlap(ex, ey, h, ctx.halfLength, ctx.halfWidth, ax, ay, log.heading[i], hl, hw)) continue;
        const dx = ax - ctx.x[t];
        const dy = ay - ctx.y[t];
        const dist = Math.hypot(dx, dy);
        const along = dx * fx + dy * fy;
        const ahead = along >= COS_AHEAD * dist;
        const exposed = ctx.inJunction[t] === 1 || ctx.offroad[t] === 1 || ctx.straddles(t);
        if (ahead || (exposed && along >= COS_BEHIND * dist)) {
          series.values[t] = 0;
          break;
        }
      }
    }
  }
  return series;
}
