// What the runtime does with a model's answer: check it (length, each token in its axis's range, finite) and,
// when it cannot be used, what to drive instead: the last valid plan shifted by the time since it was made,
// then a safe stop. Not the timing (watchdog.ts) nor the loop (runtime.ts).

import type { Tokenizer } from '../model/tokenizer.js';
import { actionSpan } from '../policy/model-driver.js';
import { DT, type EgoAction } from '../sim/types.js';

/** Why an answer was not used: over budget, 2H tokens expected, a token outside its axis, NaN, the model threw. */
export const FAULTS = ['late', 'wrong-length', 'out-of-range', 'nan', 'error'] as const;
export type Fault = (typeof FAULTS)[number];

/** What was driven instead of the answer. */
export const RESPONSES = ['last-plan', 'safe-stop'] as const;
export type Response = (typeof RESPONSES)[number];

export type Checked =
  | { readonly ok: true; readonly bins: Int32Array } // (2H,) interleaved longitudinal, lateral
  | { readonly ok: false; readonly fault: Exclude<Fault, 'late' | 'error'>; readonly detail: string };

/** Checks 2H answered token ids (even k longitudinal, odd k lateral) and turns them into bins. */
export function checkActions(ids: readonly number[], tok: Tokenizer, steps: number): Checked {
  if (ids.length !== 2 * steps)
    return { ok: false, fault: 'wrong-length', detail: `${ids.length} tokens, expected ${2 * steps}` };
  const bins = new Int32Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    if (!Number.isFinite(id)) return { ok: false, fault: 'nan', detail: `token ${k} is ${id}` };
    const [lo, hi] = actionSpan(tok, k);
    if (!Number.isInteger(id) || id < lo || id >= hi)
      return { ok: false, fault: 'out-of-range', detail: `token ${k} is ${id}, outside [${lo}, ${hi})` };
    bins[k] = id - lo;
  }
  return { ok: true, bins };
}

/** A plan the car can fall back on: (H, 2) controls, the first held from sim step `step`. */
export interface HeldPlan {
  readonly step: number; // [steps] when it was made
  readonly controls: Float64Array; // (H, 2) acceleration [m/s2], curvature [1/m] per plan step
}

/** The plan step of `plan` that covers sim step `step`, or null once the plan is used up. */
export function shiftedStep(plan: HeldPlan, step: number, stepSeconds: number): number | null {
  const k = Math.floor(((step - plan.step) * DT) / stepSeconds + 1e-9); // [plan steps] elapsed
  return k < plan.controls.length / 2 ? k : null;
}

/**
 * Braking at `decel` [m/s2] (less when the car would stop within the step) on the current curvature: the car stops
 * on its current arc rather than swerving.
 */
export function safeStop(speed: number, curvature: number, decel: number): EgoAction {
  return { accel: -Math.min(decel, Math.max(0, speed) / DT), curvature };
}
