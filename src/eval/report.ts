// Human-readable and JSON forms of a suite evaluation: EPDMS, PDMS and every sub-metric with their 95% bootstrap
// intervals, per family too. Not the evaluation itself (closed-loop.ts) nor the statistics (intervals.ts).

import { z } from 'zod';
import type { StatsSummary } from '../runtime/stats.js';
import { type EpisodeScore, METRIC_NAMES } from '../sim/metrics/index.js';
import { CONFIDENCE, halfWidth, type Interval } from './bootstrap.js';
import type { SuiteResult } from './closed-loop.js';
import type { BootstrapSettings, ScoreIntervals } from './intervals.js';
import { table } from './table.js';

/** An interval in JSON: its ends and half-width. */
export function intervalJson(i: Interval): { lo: number; hi: number; half_width: number } {
  return { lo: i.lo, hi: i.hi, half_width: halfWidth(i) };
}

/** What the intervals are, in JSON. */
export function bootstrapJson(b: BootstrapSettings): SuiteJson['bootstrap'] {
  return {
    method: 'percentile bootstrap over episodes',
    level: CONFIDENCE,
    resamples: b.resamples,
    seed: b.seed,
  };
}

/** What the intervals are, in words. */
export function bootstrapText(b: BootstrapSettings, over = 'episodes'): string {
  return `${100 * CONFIDENCE}% percentile bootstrap over ${over}, ${b.resamples} resamples, seed ${b.seed}`;
}

// Resampling one episode always gives that episode: its interval has no width and says nothing, so the text shows
// none (the JSON keeps the numbers, next to how many episodes there were).
export const MIN_INTERVAL_EPISODES = 2;

/** `[lo, hi]` in `format`, or '-' when too few episodes make an interval meaningless. */
export function ciText(i: Interval, episodes: number, format = (x: number) => x.toFixed(3)): string {
  return episodes >= MIN_INTERVAL_EPISODES ? `[${format(i.lo)}, ${format(i.hi)}]` : '-';
}

/** Episodes with an at-fault collision. */
export function atFaultCount(episodes: readonly EpisodeScore[]): number {
  return episodes.filter((e) => e.atFaultCollision).length;
}

/** `0.9712 ± 0.0121 [0.9580, 0.9830]`: the estimate, the half-width and the (not always symmetric) ends. */
export function withInterval(i: Interval, digits = 4): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(i.estimate)} ± ${f(halfWidth(i))} [${f(i.lo)}, ${f(i.hi)}]`;
}

const intervalSchema = z.strictObject({ lo: z.number(), hi: z.number(), half_width: z.number() });
const scoresSchema = {
  epdms_ci: intervalSchema,
  pdms_ci: intervalSchema,
  metrics_ci: z.record(z.string(), intervalSchema), // per sub-metric
};
/** What suiteJson writes, for those that read it back (the pipeline's steps.json). */
export const suiteJsonSchema = z.strictObject({
  suite: z.string(),
  version: z.number(),
  driver: z.string(),
  episodes: z.number(),
  epdms: z.number(),
  pdms: z.number(),
  at_fault_collisions: z.number(),
  metrics: z.record(z.string(), z.strictObject({ mean: z.number(), valid: z.number(), failed: z.number() })),
  ...scoresSchema,
  bootstrap: z.strictObject({
    method: z.string(),
    level: z.number(),
    resamples: z.number(),
    seed: z.number(),
  }),
  families: z.record(
    z.string(),
    z.strictObject({
      episodes: z.number(),
      epdms: z.number(),
      pdms: z.number(),
      at_fault_collisions: z.number(),
      ...scoresSchema,
    }),
  ),
  /** The in-car runtime's counts and latency [ms] (runtime/stats.ts), when a vehicle file drove. */
  runtime: z
    .strictObject({
      decisions: z.number(),
      faults: z.record(z.string(), z.number()),
      fallbacks: z.record(z.string(), z.number()),
      latency: z.strictObject({ p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number() }),
    })
    .optional(),
});
export type SuiteJson = z.infer<typeof suiteJsonSchema>;

function scoresJson(scores: ScoreIntervals) {
  return {
    epdms_ci: intervalJson(scores.epdms),
    pdms_ci: intervalJson(scores.pdms),
    metrics_ci: Object.fromEntries(METRIC_NAMES.map((m) => [m, intervalJson(scores[m])])),
  };
}

/** The JSON a user scripts against: summary metrics, their intervals, and per-family figures. */
export function suiteJson(result: SuiteResult): SuiteJson {
  const { intervals } = result;
  const families = Object.fromEntries(
    intervals.families.map((f) => [
      f.family,
      {
        episodes: f.episodes,
        epdms: f.scores.epdms.estimate,
        pdms: f.scores.pdms.estimate,
        at_fault_collisions: atFaultCount(result.episodes.filter((e) => e.family === f.family)),
        ...scoresJson(f.scores),
      },
    ]),
  );
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
    ...scoresJson(intervals.all),
    bootstrap: bootstrapJson(intervals.bootstrap),
    families,
    ...(result.runtime ? { runtime: result.runtime } : {}),
  };
}

/** Two lines for a terminal: the scores with their intervals, and every sub-metric's mean. */
export function suiteText(result: SuiteResult): string {
  const s = result.summary;
  const { all } = result.intervals;
  const metrics = METRIC_NAMES.map((m) => `${m} ${s.metrics[m].mean.toFixed(3)}`).join('  ');
  return (
    `${result.driver} on ${result.suite} v${result.version}: ${s.episodes} episodes, ` +
    `EPDMS ${withInterval(all.epdms)}, PDMS ${withInterval(all.pdms)}, at-fault collisions ` +
    `${s.atFaultCollisions}\n  ${metrics}\n` +
    (result.runtime ? `  ${runtimeText(result.runtime)}\n` : '')
  );
}

/** One line of the runtime's figures: decisions, fallbacks and faults by kind, p50/p99 latency. */
export function runtimeText(r: StatsSummary): string {
  const counts = (o: Readonly<Record<string, number>>) =>
    Object.entries(o)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const { p50Ms, p99Ms } = r.latency;
  return (
    `runtime: ${r.decisions} decisions, fallbacks (${counts(r.fallbacks)}), faults (${counts(r.faults)}), ` +
    `latency p50 ${p50Ms.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms`
  );
}

/** The full text report: the headline, then tables of the sub-metrics and of the families, with intervals. */
export function suiteTables(result: SuiteResult): string {
  const { intervals, summary } = result;
  const metrics = METRIC_NAMES.map((m) => {
    const i = intervals.all[m];
    const { valid, failed } = summary.metrics[m];
    return [m, i.estimate.toFixed(3), ciText(i, summary.episodes), String(valid), String(failed)];
  });
  const families = intervals.families.map((f) => [
    f.family,
    String(f.episodes),
    f.scores.epdms.estimate.toFixed(3),
    ciText(f.scores.epdms, f.episodes),
    f.scores.pdms.estimate.toFixed(3),
    String(atFaultCount(result.episodes.filter((e) => e.family === f.family))),
  ]);
  return (
    `${suiteText(result)}  (${bootstrapText(intervals.bootstrap)})\n\n` +
    `${table(['metric', 'mean', '95% CI', 'valid', 'failed'], metrics)}\n` +
    table(['family', 'episodes', 'EPDMS', '95% CI', 'PDMS', 'at-fault collisions'], families)
  );
}
