// A clip's episode metrics for the clips table, from the simulator's metrics (sim/metrics/): route progress,
// at-fault collisions, red-light crossings, off-road, comfort, PDMS and EPDMS. Not curation (curate.ts).

import { EpisodeContext, episodeSeries, routeProgress, scoreSeries } from '../sim/metrics/index.js';
import type { EpisodeLog, Scenario } from '../sim/types.js';
import type { ClipMetrics } from './records.js';

/** Metrics of the expert's episode; it is its own reference for ego progress (EP). */
export function clipMetrics(scenario: Scenario, log: EpisodeLog): ClipMetrics {
  const progress = routeProgress(scenario, log);
  const ctx = new EpisodeContext(scenario, log, { referenceProgress: progress });
  const series = episodeSeries(ctx);
  const score = scoreSeries(ctx, series);
  const tlc = series.metrics.tlc;
  // TLC fails at every state on a red area; a violation is each run of such states.
  let redLightViolations = 0;
  let on = false;
  for (let t = 0; t < tlc.values.length; t++) {
    const red = tlc.valid[t] === 1 && tlc.values[t] === 0;
    if (red && !on) redLightViolations++;
    on = red;
  }
  const { dac, c } = score.metrics;
  return {
    progress,
    collisions: series.collisions.filter((e) => e.atFault).length,
    redLightViolations,
    offroad: dac.valid && dac.value < 1,
    comfortable: !c.valid || c.value >= 1,
    pdms: score.pdms,
    epdms: score.epdms,
  };
}
