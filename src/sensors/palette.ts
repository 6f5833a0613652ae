// Colours shared by the camera and the birdseye picture: ground flags to RGB, agent kinds, light lamps, sky.
// Not the BEV (it has channels, not colours).

import { AgentKind, LightColour } from '../sim/types.js';
import { Ground } from './ground.js';

export type Rgb = readonly [number, number, number];

const ASPHALT: Rgb = [78, 78, 84];
const OFF_ROAD: Rgb = [74, 104, 62];
const WHITE_PAINT: Rgb = [228, 228, 228];
const YELLOW_PAINT: Rgb = [222, 188, 44];
const CROSSWALK_GROUND: Rgb = [92, 92, 98]; // a slightly lighter patch under the zebra bars

/** RGB of every ground flag byte, (256, 3): paint over asphalt over grass. */
export const GROUND_RGB: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let flags = 0; flags < 256; flags++) {
    let colour = OFF_ROAD;
    if (flags & Ground.drivable) colour = ASPHALT;
    if (flags & Ground.crosswalk) colour = CROSSWALK_GROUND;
    if (flags & Ground.yellowLine) colour = YELLOW_PAINT;
    if (flags & (Ground.whiteLine | Ground.stopLine | Ground.stripe)) colour = WHITE_PAINT;
    lut.set(colour, 3 * flags);
  }
  return lut;
})();

export const SKY_TOP: Rgb = [112, 160, 220];
export const SKY_HORIZON: Rgb = [196, 216, 236];

/** Body colour by AgentKind. */
export function kindColour(kind: number): Rgb {
  switch (kind) {
    case AgentKind.ego:
      return [230, 60, 50];
    case AgentKind.pedestrian:
      return [214, 52, 196];
    case AgentKind.cyclist:
      return [20, 190, 190];
    case AgentKind.obstacle:
      return [250, 120, 10];
    default:
      return [52, 92, 196]; // vehicle, and any kind added later
  }
}

export const BRAKE_LAMP: Rgb = [255, 36, 36];
export const LIGHT_HOUSING: Rgb = [24, 24, 24];
export const LAMP_OFF: Rgb = [58, 58, 58];

/** Lit lamp colour by LightColour. */
export function lampColour(colour: number): Rgb {
  switch (colour) {
    case LightColour.red:
      return [255, 40, 30];
    case LightColour.yellow:
      return [255, 200, 0];
    default:
      return [40, 240, 70];
  }
}

/** Lamp slot in the head, top to bottom: red 0, yellow 1, green 2. */
export function lampSlot(colour: number): number {
  return colour === LightColour.red ? 0 : colour === LightColour.yellow ? 1 : 2;
}
