// LK, lane keeping (NAVSIM v2 `_calculate_lane_keeping` in pdm_scorer.py, from Hydra-MDP++): 0 once ego's centre
// has been more than 0.5 m from the route's centreline for 2 s in a row. Not driving direction (direction.ts).

import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

export const LK_MAX_DEVIATION = 0.5; // [m] (NAVSIM lane_keeping_deviation_limit)
export const LK_WINDOW = 2.0; // [s] (NAVSIM lane_keeping_horizon_window)

/**
 * LK per state: 0 at states where ego's centre has been more than 0.5 m (strictly) from the route's centreline
 * for ceil(2 s / 0.1 s) = 20 consecutive states, else 1. The centreline is the route's chain of lanes
 * (route.ts tracks ego along scenario.route.laneIds), so a lane change the route does not ask for fails once
 * held 2 s. States with ego's centre in a junction polygon are skipped: they neither count nor reset the run.
 * Deliberate difference: NAVSIM's centreline (PDM's Dijkstra over successors) never changes lane and is rebuilt
 * from ego's lane at every 4 s frame; over a whole episode ours follows the lane changes the route itself makes
 * (a merge) and is never rebuilt, so a lane change away from the route keeps failing.
 */
export function laneKeepingSeries(ctx: EpisodeContext): StepSeries {
  const { n } = ctx;
  const series = passingSeries(n);
  const needed = Math.ceil(LK_WINDOW / ctx.dt - 1e-9);
  let run = 0;
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    if (ctx.valid[t] === 0 || ctx.inJunction[t] === 1) continue;
    run = Math.abs(ctx.route.lateral[t]) > LK_MAX_DEVIATION ? run + 1 : 0;
    if (run >= needed) series.values[t] = 0;
  }
  return series;
}
