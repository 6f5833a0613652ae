// DDC, driving-direction compliance (NAVSIM v2 `_calculate_driving_direction_compliance` in pdm_scorer.py):
// how far ego's centre moves off the route's lanes within any 1 s horizon. Not lane keeping (lane-keeping.ts).

import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

export const DDC_HORIZON = 1.0; // [s] (NAVSIM driving_direction_horizon)
export const DDC_COMPLIANCE = 2.0; // [m] below this: 1 (NAVSIM driving_direction_compliance_threshold)
export const DDC_VIOLATION = 6.0; // [m] from compliance up to this: 0.5, beyond: 0 (NAVSIM ..._violation_threshold)

/**
 * DDC per state. NAVSIM's "oncoming traffic" is ego's centre in no on-route lane polygon (route-lanes.ts), so
 * driving on an oncoming lane, the shoulder or any lane off the route counts alike; a state spent there outside
 * a junction polygon adds the distance ego's centre moved into it. DDC at state t grades the sum over states
 * t - 10 .. t (NAVSIM's int(1.0 / 0.1) = 10 back plus t itself: 11 states, 1.1 s): < 2 m -> 1, < 6 m -> 0.5,
 * else 0. Episode DDC is the minimum, i.e. the grade of the largest sum, as NAVSIM grades its maximum.
 */
export function directionSeries(ctx: EpisodeContext): StepSeries {
  const { n } = ctx;
  const series = passingSeries(n);
  const horizon = Math.floor(DDC_HORIZON / ctx.dt + 1e-9);
  const moved = new Float64Array(n); // oncoming progress into each state [m]
  let sum = 0;
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    const counted = ctx.onRoute[t] === 0 && ctx.inJunction[t] === 0;
    if (t > 0 && counted && ctx.valid[t] === 1 && ctx.valid[t - 1] === 1) {
      moved[t] = Math.hypot(ctx.x[t] - ctx.x[t - 1], ctx.y[t] - ctx.y[t - 1]);
    }
    sum += moved[t] - (t > horizon ? moved[t - horizon - 1] : 0);
    series.values[t] = sum < DDC_COMPLIANCE ? 1 : sum < DDC_VIOLATION ? 0.5 : 0;
  }
  return series;
}
