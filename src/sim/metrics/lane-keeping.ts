// LK, lane keeping (NAVSIM v2 `lane_keeping`, from Hydra-MDP++): 0 once ego has been more than 0.5 m from its
// lane's centreline for 2 s in a row. Not driving direction (direction.ts) nor drivable area.

import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

export const LK_MAX_DEVIATION = 0.5; // [m] (NAVSIM lane_keeping_deviation_limit)
export const LK_WINDOW = 2.0; // [s] (NAVSIM lane_keeping_horizon_window)

/**
 * LK per state: 0 at states where the deviation |lateral| from the centreline of ego's lane (the nearest lane
 * within 90 deg of its heading) has exceeded 0.5 m for the last 2 s (20 consecutive states at 0.1 s), else 1.
 * In a junction (ego on a connector) states are skipped: they neither count nor break the run (as NAVSIM's
 * implementation `continue`s over intersection states). Ego in no lane at all counts as deviating.
 */
export function laneKeepingSeries(ctx: EpisodeContext): StepSeries {
  const { n } = ctx;
  const series = passingSeries(n);
  const needed = Math.round(LK_WINDOW / ctx.dt);
  let run = 0;
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    if (ctx.valid[t] === 0 || ctx.inJunction[t] === 1) continue;
    const off = ctx.laneId[t] < 0 || Math.abs(ctx.laneLateral[t]) > LK_MAX_DEVIATION;
    run = off ? run + 1 : 0;
    if (run >= needed) series.values[t] = 0;
  }
  return series;
}
