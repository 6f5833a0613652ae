// The trigger registry: every trigger by name, and one call that fires them all on a car's episode, thinned so
// that one clip window holds one event of a trigger. Not the triggers (one file each) nor the uploads.

import { collisionTrigger } from './collision.js';
import { fallbackTrigger } from './fallback.js';
import { hardBrakingTrigger } from './hard-braking.js';
import { lowConfidenceTrigger } from './low-confidence.js';
import { ruleViolationTrigger } from './rule-violation.js';
import { shadowTrigger } from './shadow.js';
import { stallTrigger } from './stall.js';
import type { Trigger, TriggerEvent, TriggerInput } from './trigger.js';

export type { Trigger, TriggerEvent, TriggerInput } from './trigger.js';

export const TRIGGERS = [
  collisionTrigger,
  hardBrakingTrigger,
  ruleViolationTrigger,
  stallTrigger,
  lowConfidenceTrigger,
  fallbackTrigger,
  shadowTrigger,
] as const satisfies readonly Trigger[];
export type TriggerName = (typeof TRIGGERS)[number]['name'];
export const TRIGGER_NAMES: readonly string[] = TRIGGERS.map((t) => t.name);

/** A trigger's event with the window of states its clip covers. */
export interface FiredEvent extends TriggerEvent {
  readonly trigger: string;
  readonly start: number; // [steps] first state of the window
  readonly end: number; // [steps] last state of the window
}

/**
 * Every trigger's events on one episode, each with its window (`before` and `after` steps around it, inside the
 * episode); an event inside the window of the same trigger's previous one is dropped: that clip holds it.
 * Ordered by trigger (registry order), then step.
 */
export function fireTriggers(input: TriggerInput, before: number, after: number): FiredEvent[] {
  const out: FiredEvent[] = [];
  const last = input.log.steps;
  for (const trigger of TRIGGERS) {
    let covered = -1; // [steps] end of the previous kept window
    for (const e of trigger.events(input)) {
      if (e.step <= covered) continue;
      const start = Math.max(0, e.step - before);
      const end = Math.min(last, e.step + after);
      out.push({ ...e, trigger: trigger.name, start, end });
      covered = end;
    }
  }
  return out;
}
