// The simulator's truth about a car's episode: the states where it failed (an at-fault contact, a near miss,
// off the drivable area, against the traffic direction, through a red light), and each trigger's precision and
// recall against it. Not the triggers (triggers/), which fire without this judgement.

import type { EpisodeSeries } from '../sim/metrics/index.js';
import { type FiredEvent, TRIGGER_NAMES } from './triggers/index.js';
import { fails } from './triggers/trigger.js';

/** (n,) 1 where the car failed at the state by the simulator's metrics, n = steps + 1. */
export function failedStates(series: EpisodeSeries, n: number): Uint8Array {
  const { nc, dac, ddc, tlc, ttc } = series.metrics;
  const failed = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const metric = fails(nc, t) || fails(dac, t) || fails(ddc, t) || fails(tlc, t) || fails(ttc, t);
    failed[t] = metric ? 1 : 0;
  }
  return failed;
}

/** Whether the car failed at any state of [start, end]. */
export function failedIn(failed: Uint8Array, start: number, end: number): boolean {
  for (let t = start; t <= end; t++) if (failed[t] === 1) return true;
  return false;
}

/** A trigger's record over a round. precision: share of its clips holding a failure; recall: share of failures in a clip. */
export interface TriggerScore {
  readonly trigger: string;
  readonly clips: number;
  readonly clipsWithFailure: number;
  readonly failures: number; // failure events (runs of failed states) over all episodes
  readonly caught: number; // of which this trigger's windows hold the first state
  readonly precision: number | null; // null: the trigger never fired
  readonly recall: number | null; // null: nothing failed
}

/** Every registered trigger's precision and recall over the episodes (failed states and fired events each). */
export function scoreTriggers(
  episodes: readonly { readonly failed: Uint8Array; readonly events: readonly FiredEvent[] }[],
): TriggerScore[] {
  return TRIGGER_NAMES.map((trigger) => {
    let clips = 0;
    let clipsWithFailure = 0;
    let failures = 0;
    let caught = 0;
    for (const { failed, events } of episodes) {
      const mine = events.filter((e) => e.trigger === trigger);
      clips += mine.length;
      clipsWithFailure += mine.filter((e) => failedIn(failed, e.start, e.end)).length;
      for (let t = 0; t < failed.length; t++) {
        if (failed[t] !== 1 || (t > 0 && failed[t - 1] === 1)) continue; // the first state of a failure
        failures++;
        if (mine.some((e) => e.start <= t && t <= e.end)) caught++;
      }
    }
    return {
      trigger,
      clips,
      clipsWithFailure,
      failures,
      caught,
      precision: clips > 0 ? clipsWithFailure / clips : null,
      recall: failures > 0 ? caught / failures : null,
    };
  });
}
