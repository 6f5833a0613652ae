// HC, history comfort (NAVSIM v2 `history_comfort`): the six comfort bounds of comfort.ts applied to each plan
// joined to ego's past motion. Not consistency between plans (extended-comfort.ts).

import { comfortableAt } from './comfort.js';
import type { EpisodeContext } from './context.js';
import { kinematics, speedHeadingFromXy } from './kinematics.js';
import { passingSeries, type StepSeries } from './metric.js';
import { egoPositionAt, planCount, planPath, planStep } from './plans.js';

/** Ego's past joined before each plan (NAVSIM's four history frames at 2 Hz). */
export const HC_HISTORY = 1.5; // [s]

/**
 * HC per state: at the state plan k was made, 1 if the path [ego's logged positions over the last 1.5 s (as far
 * as the log goes back), ego now, plan k] sampled at the plan spacing is inside all six comfort bounds at every
 * sample, else 0; invalid at states without a plan, everywhere when the log has no plans. Speed and heading come
 * from the positions by central differences, then the same differentiation as C (kinematics.ts).
 * Episode HC is the mean over plans (NAVSIM averages its per-frame binary HC over frames).
 */
export function historyComfortSeries(ctx: EpisodeContext): StepSeries {
  const series = passingSeries(ctx.n);
  series.valid.fill(0);
  const plans = ctx.log.plans;
  if (!plans) return series;
  const spacing = plans.spacing;
  for (let k = 0; k < planCount(ctx, plans); k++) {
    const step = planStep(plans, k);
    const now = step * ctx.dt;
    const past = Math.min(Math.round(HC_HISTORY / spacing), Math.floor(now / spacing + 1e-9));
    const path = planPath(ctx, plans, k);
    const m = past + path.length / 2;
    const xy = new Float64Array(m * 2);
    for (let j = 0; j < past; j++) egoPositionAt(ctx, now - (past - j) * spacing, xy, 2 * j);
    xy.set(path, 2 * past);
    const { speed, heading } = speedHeadingFromXy(xy, m, spacing);
    const kin = kinematics(speed, heading, m, spacing);
    let ok = true;
    for (let t = 0; t < m && ok; t++) ok = comfortableAt(kin, t);
    series.values[step] = ok ? 1 : 0;
    series.valid[step] = 1;
  }
  return series;
}
