// The recipe's `fleet` section: how many cars drive which scenario mix, the clip window, and every trigger's
// threshold, as a strict zod schema (train/recipe.ts embeds it). Not the fleet itself (drive.ts, round.ts).

import { z } from 'zod';
import { DRIVE_MODES } from '../model/prompt.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';

export const fleetRecipeSchema = z.strictObject({
  cars: z.int().positive(), // cars (episodes) driven per round
  /** The scenario mix: each car's family is drawn with these weights (long-tail families weighted up). */
  mix: z.array(z.strictObject({ family: z.enum(SCENARIO_FAMILIES), weight: z.number().positive() })).min(1),
  mode: z.enum(DRIVE_MODES), // how the car model drives
  teacherMode: z.enum(DRIVE_MODES), // how the teacher plans in shadow mode and labels
  window: z.strictObject({
    before: z.number().min(0), // [s] of the clip before the event
    after: z.number().min(0), // [s] after it
  }),
  keyframeEvery: z.int().positive(), // [steps] candidate keyframes in a window (a keyframe where the meta-action changes)
  triggers: z.strictObject({
    hardBrake: z.number().positive(), // [m/s2] deceleration beyond this fires hard-braking
    stallSpeed: z.number().positive(), // [m/s] below this ego counts as standing
    stallSeconds: z.number().positive(), // [s] standing this long with the route unfinished fires stall
    entropy: z.number().positive(), // [nats] mean action-token entropy above this fires low-confidence
    disagreement: z.number().positive(), // [m] car-teacher plan distance above this fires shadow
  }),
});

export type FleetRecipe = z.infer<typeof fleetRecipeSchema>;
export type TriggerThresholds = FleetRecipe['triggers'];
