// Fixed-time traffic-light controllers: the colour of every light at a time, and the time until it changes.
// Pure functions of the map and the clock; not how agents react to lights (agents/) nor how they are drawn.

import { LightColour, type RoadMap, type SignalController } from '../types.js';

/** Length of one full cycle: every group's green, yellow and all-red in turn [s]. */
export function cycleLength(c: SignalController): number {
  return c.groups * (c.green + c.yellow + c.allRed);
}

/** Seconds since `group` last turned green, in [0, cycle). */
function phaseTime(c: SignalController, group: number, t: number): number {
  const cycle = cycleLength(c);
  const since = t + c.offset - group * (c.green + c.yellow + c.allRed);
  return ((since % cycle) + cycle) % cycle;
}

/** The colour of light `lightId` at time t [s]. */
export function lightColourAt(map: RoadMap, lightId: number, t: number): LightColour {
  const light = map.lights[lightId];
  const c = map.controllers[light.controllerId];
  const p = phaseTime(c, light.phaseGroup, t);
  if (p < c.green) return LightColour.green;
  if (p < c.green + c.yellow) return LightColour.yellow;
  return LightColour.red;
}

/** Every light's colour at time t, indexed like map.lights. */
export function lightStates(
  map: RoadMap,
  t: number,
  out: Uint8Array = new Uint8Array(map.lights.length),
): Uint8Array {
  for (let i = 0; i < map.lights.length; i++) out[i] = lightColourAt(map, i, t);
  return out;
}

/** Seconds from t until light `lightId` changes colour. */
export function timeToChange(map: RoadMap, lightId: number, t: number): number {
  const light = map.lights[lightId];
  const c = map.controllers[light.controllerId];
  const p = phaseTime(c, light.phaseGroup, t);
  if (p < c.green) return c.green - p;
  if (p < c.green + c.yellow) return c.green + c.yellow - p;
  return cycleLength(c) - p;
}
