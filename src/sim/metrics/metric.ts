// The shared shapes of drivefm's driving metrics: a metric's result ({ value, valid }, waymax style) and its
// per-state series. Not the metrics themselves (one file each) nor how they combine (score.ts, reward.ts).

/** The metrics of NAVSIM v1 (PDMS) and v2 (EPDMS), by their short names. */
export const METRIC_NAMES = ['nc', 'dac', 'ddc', 'tlc', 'ep', 'ttc', 'lk', 'c', 'hc', 'ec'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** An episode's value of one metric. `valid = false` when the metric cannot be computed (no plans, ...). */
export interface MetricResult {
  readonly value: number;
  readonly valid: boolean;
}

/**
 * One metric over an episode, per logged state t (n = steps + 1 entries, t = 0 is the initial state).
 * `values[t]` is the metric at state t (for EP: metres of route progress from state t - 1 to t);
 * `valid[t] = 0` where it is undefined there (ego absent, ego stopped for TTC, no plan made at t for HC/EC).
 */
export interface StepSeries {
  readonly values: Float32Array; // (n,)
  readonly valid: Uint8Array; // (n,)
}

/** A series of ones, valid everywhere: the starting point of every binary per-state metric. */
export function passingSeries(n: number): StepSeries {
  return { values: new Float32Array(n).fill(1), valid: new Uint8Array(n).fill(1) };
}

/** Episode value of a pass/fail metric: the worst valid state (NAVSIM takes the minimum over time). */
export function reduceMin(series: StepSeries): MetricResult {
  let value = 1;
  let any = false;
  for (let t = 0; t < series.values.length; t++) {
    if (series.valid[t] === 0) continue;
    any = true;
    if (series.values[t] < value) value = series.values[t];
  }
  return { value, valid: any };
}

/** Episode value of a per-plan metric (HC, EC): the mean over the valid states, as NAVSIM averages frames. */
export function reduceMean(series: StepSeries): MetricResult {
  let sum = 0;
  let count = 0;
  for (let t = 0; t < series.values.length; t++) {
    if (series.valid[t] === 0) continue;
    sum += series.values[t];
    count++;
  }
  return count > 0 ? { value: sum / count, valid: true } : { value: 1, valid: false };
}
