// The runtime's counts: decisions, faults and fallback responses by kind, and each decision's latency [ms];
// summed over episodes and summarised as percentiles. Not where they are counted (runtime.ts).

import { FAULTS, type Fault, RESPONSES, type Response } from './fallback.js';

export interface DecisionStats {
  readonly decisions: number;
  readonly faults: Readonly<Record<Fault, number>>;
  readonly responses: Readonly<Record<Response, number>>;
  readonly latenciesMs: readonly number[]; // [ms] one per decision, in order
}

/** A driver that keeps DecisionStats for its current episode (the vehicle runtime). */
export interface InstrumentedDriver {
  episodeStats(): DecisionStats;
}

export function isInstrumented(driver: object): driver is InstrumentedDriver {
  return typeof (driver as Partial<InstrumentedDriver>).episodeStats === 'function';
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Counts one episode's decisions as they happen. */
export class StatsCounter {
  private decisions = 0;
  private readonly faults = zeros(FAULTS);
  private readonly responses = zeros(RESPONSES);
  private readonly latenciesMs: number[] = [];

  /** One decision that took `ms` [ms]. */
  decision(ms: number): void {
    this.decisions++;
    this.latenciesMs.push(ms);
  }

  fallback(fault: Fault, response: Response): void {
    this.faults[fault]++;
    this.responses[response]++;
  }

  snapshot(): DecisionStats {
    return {
      decisions: this.decisions,
      faults: { ...this.faults },
      responses: { ...this.responses },
      latenciesMs: [...this.latenciesMs],
    };
  }
}

/** The sum of episodes' stats; latencies in episode order. */
export function mergeStats(all: readonly DecisionStats[]): DecisionStats {
  const faults = zeros(FAULTS);
  const responses = zeros(RESPONSES);
  for (const s of all) {
    for (const k of FAULTS) faults[k] += s.faults[k];
    for (const k of RESPONSES) responses[k] += s.responses[k];
  }
  return {
    decisions: all.reduce((n, s) => n + s.decisions, 0),
    faults,
    responses,
    latenciesMs: all.flatMap((s) => s.latenciesMs),
  };
}

/** The nearest-rank q-quantile of `values` (q in (0, 1]); NaN for none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** What a report shows: counts by kind and p50/p99 latency [ms]. */
export interface StatsSummary {
  readonly decisions: number;
  readonly faults: Readonly<Record<Fault, number>>;
  readonly fallbacks: Readonly<Record<Response, number>>;
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
}

export function summariseStats(s: DecisionStats): StatsSummary {
  const ms = s.latenciesMs;
  return {
    decisions: s.decisions,
    faults: s.faults,
    fallbacks: s.responses,
    latency: { p50Ms: percentile(ms, 0.5), p99Ms: percentile(ms, 0.99), maxMs: percentile(ms, 1) },
  };
}
