// What a trigger is: a named detector that reads one car's episode (its log, the simulator's per-state metrics,
// the car's telemetry) and returns the steps where it fires. Not the registry (index.ts) nor the uploads.

import type { EpisodeSeries } from '../../sim/metrics/index.js';
import type { EpisodeLog, Scenario } from '../../sim/types.js';
import type { CarTelemetry } from '../car.js';
import type { TriggerThresholds } from '../fleet-recipe.js';

/** Everything a trigger may read about one car's episode. */
export interface TriggerInput {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly series: EpisodeSeries; // the simulator's metrics per state, for the episode as driven
  readonly telemetry: CarTelemetry;
  readonly thresholds: TriggerThresholds;
}

/** A trigger fired: at which state, and its measure there (unit in the trigger's `unit`). */
export interface TriggerEvent {
  readonly step: number;
  readonly value: number;
}

export interface Trigger {
  readonly name: string;
  readonly unit: string; // of TriggerEvent.value
  /** The steps where the trigger fires, ascending; a run of firing states is one event at its first state. */
  events(input: TriggerInput): TriggerEvent[];
}

/** One event at the first state of each run of states where `value(t)` is not null. */
export function runStarts(n: number, value: (t: number) => number | null): TriggerEvent[] {
  const out: TriggerEvent[] = [];
  let on = false;
  for (let t = 0; t < n; t++) {
    const v = value(t);
    if (v !== null && !on) out.push({ step: t, value: v });
    on = v !== null;
  }
  return out;
}

/** Whether a binary metric's series fails (valid, below 1) at state t. */
export function fails(series: { values: Float32Array; valid: Uint8Array }, t: number): boolean {
  return series.valid[t] === 1 && series.values[t]! < 1;
}
