// DAC, drivable-area compliance (NAVSIM v1/v2 `drivable_area_compliance`): 0 if any corner of ego's box leaves
// the drivable area at any state. Not lane keeping (lane-keeping.ts) nor driving direction (direction.ts).

import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** DAC per state: 0 where one of ego's four corners fails `isDrivable` (computed in the context), else 1. */
export function drivableAreaSeries(ctx: EpisodeContext): StepSeries {
  const series = passingSeries(ctx.n);
  for (let t = 0; t < ctx.n; t++) {
    series.valid[t] = ctx.valid[t];
    series.values[t] = ctx.offroad[t] === 1 ? 0 : 1;
  }
  return series;
}
