// Traffic-light (TSL) labels: the light governing ego, its colour, the distance to its stop line, time to change.
// Not the rendering of the light (sensors/camera.ts) and not the light controller (sim/road/lights.ts).

import { timeToChange } from '../sim/road/lights.js';
import { DT, type LightColour } from '../sim/types.js';
import type { LabelFrame } from './frame.js';
import { askAll, metres, type QaPair, seconds } from './qa.js';
import { type EgoOnRoad, stopLinesAhead } from './road-ahead.js';

const LIGHT_REACH = 100; // [m] a light whose stop line is further away does not govern ego yet

export const LIGHT_NAMES = ['green', 'yellow', 'red'] as const; // indexed by LightColour
export type LightName = (typeof LIGHT_NAMES)[number] | 'none';

export interface TslLabel {
  readonly lightId: number; // -1 when no light governs ego
  readonly state: LightName;
  readonly distance: number; // [m] along ego's path to the stop line; 0 when none
  readonly timeToChange: number; // [s] until the colour changes; 0 when none
}

/** The QA key of the light's state question (its answer: a LightName). */
export const LIGHT_STATE_KEY = 'light_state';

export const NO_LIGHT: TslLabel = { lightId: -1, state: 'none', distance: 0, timeToChange: 0 };

/** The light governing ego at the frame; `road` is egoOnRoad(frame). */
export function tslLabel(frame: LabelFrame, road: EgoOnRoad | null): TslLabel {
  const { scenario, log, step } = frame;
  if (!road) return NO_LIGHT;
  const line = stopLinesAhead(road.chain, LIGHT_REACH).find((l) => l.lightId >= 0);
  if (!line) return NO_LIGHT;
  const colour = log.lights[line.lightId * (log.steps + 1) + step]! as LightColour;
  return {
    lightId: line.lightId,
    state: LIGHT_NAMES[colour],
    distance: line.distance,
    timeToChange: timeToChange(scenario.map, line.lightId, scenario.initial.t + step * DT),
  };
}

export function tslQa(label: TslLabel, seed: number): QaPair[] {
  const none = label.state === 'none';
  return askAll('tsl', seed, [
    [
      LIGHT_STATE_KEY,
      [
        'What colour is the traffic light for your lane?',
        'Which signal does your light show?',
        'State of your light?',
      ],
      label.state,
    ],
    [
      'stop_line_distance',
      ['How far is the stop line of your light?', 'Distance to the stop line at your light?'],
      none ? 'none' : metres(label.distance),
    ],
    [
      'time_to_change',
      ['How long until your light changes?', 'When will your light change colour?'],
      none ? 'none' : seconds(label.timeToChange),
    ],
  ]);
}
