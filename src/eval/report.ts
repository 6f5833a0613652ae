// Human-readable and JSON forms of a suite evaluation: EPDMS, PDMS and every sub-metric, per family too.
// Not the evaluation itself (closed-loop.ts).

import { METRIC_NAMES } from '../sim/metrics/index.js';
import type { SuiteResult } from './closed-loop.js';

/** The JSON a user scripts against: summary metrics and per-family means. */
export function suiteJson(result: SuiteResult): Record<string, unknown> {
  const families: Record<string, { episodes: number; epdms: number; pdms: number }> = {};
  for (const e of result.episodes) {
    families[e.family] ??= { episodes: 0, epdms: 0, pdms: 0 };
    const f = families[e.family];
    f.episodes++;
    f.epdms += e.epdms;
    f.pdms += e.pdms;
  }
  for (const f of Object.values(families)) {
    f.epdms /= f.episodes;
    f.pdms /= f.episodes;
  }
  const metrics = Object.fromEntries(METRIC_NAMES.map((m) => [m, result.summary.metrics[m]]));
  return {
    suite: result.suite,
    version: result.version,
    driver: result.driver,
    episodes: result.summary.episodes,
    epdms: result.summary.epdms,
    pdms: result.summary.pdms,
    at_fault_collisions: result.summary.atFaultCollisions,
    metrics,
    families,
  };
}

/** A few lines for a terminal. */
export function suiteText(result: SuiteResult): string {
  const s = result.summary;
  const metrics = METRIC_NAMES.map((m) => `${m} ${s.metrics[m].mean.toFixed(3)}`).join('  ');
  return (
    `${result.driver} on ${result.suite} v${result.version}: ${s.episodes} episodes, EPDMS ${s.epdms.toFixed(4)}, ` +
    `PDMS ${s.pdms.toFixed(4)}, at-fault collisions ${s.atFaultCollisions}\n  ${metrics}\n`
  );
}
