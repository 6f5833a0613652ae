// Traffic-flow (TFL) labels: density, mean speed and queue ahead of ego, and a sentence describing the flow.
// Not individual participants (dynamic.ts); this aggregates the vehicles around ego.

import { AgentKind } from '../sim/types.js';
import { egoForward, egoLeft, type LabelFrame, logIndex, poseAt } from './frame.js';
import { askAll, metres, metresPerSecond, type QaPair, whole } from './qa.js';
import type { StaticLabel } from './static.js';

const WINDOW = 50; // [m] vehicles within this distance ahead of or behind ego count towards the flow
const ROAD_HALF_WIDTH = 8; // [m] lateral reach of the window (about two lanes each side)
const LANE_HALF_WIDTH = 1.75; // [m] a vehicle this close to ego's axis is in ego's lane
const QUEUE_REACH = 80; // [m] queues ahead further than this are not counted
const STOPPED = 0.5; // [m/s] slower than this a vehicle is queueing
const FREE_SPEED = 0.7; // flow faster than this fraction of the limit is "moving freely"

export type FlowLevel = 'empty' | 'light' | 'moderate' | 'heavy';

export interface TflLabel {
  readonly density: number; // [vehicles/km/lane] in the window around ego
  readonly meanSpeed: number; // [m/s] of those vehicles; 0 when none
  readonly queueVehicles: number; // stopped vehicles ahead in ego's lane
  readonly queueLength: number; // [m] from the first stopped vehicle's rear to the last one's front; 0 when none
  readonly level: FlowLevel;
  readonly sentence: string;
}

/** Flow around ego at the frame; the static label gives the lane count (density) and speed limit. */
export function tflLabel(frame: LabelFrame, stat: StaticLabel): TflLabel {
  const { log, step } = frame;
  const ego = poseAt(log, 0, step);
  let count = 0;
  let speedSum = 0;
  let queueVehicles = 0;
  let queueStart = Number.POSITIVE_INFINITY;
  let queueEnd = Number.NEGATIVE_INFINITY;
  for (let a = 1; a < log.agents; a++) {
    const i = logIndex(log, a, step);
    if (!log.valid[i] || log.kind[a] !== AgentKind.vehicle) continue;
    const f = egoForward(ego, log.x[i]!, log.y[i]!);
    const l = egoLeft(ego, log.x[i]!, log.y[i]!);
    if (Math.abs(f) <= WINDOW && Math.abs(l) <= ROAD_HALF_WIDTH) {
      count++;
      speedSum += log.speed[i]!;
    }
    if (f > 0 && f <= QUEUE_REACH && Math.abs(l) < LANE_HALF_WIDTH && log.speed[i]! < STOPPED) {
      queueVehicles++;
      queueStart = Math.min(queueStart, f - log.length[a]! / 2);
      queueEnd = Math.max(queueEnd, f + log.length[a]! / 2);
    }
  }
  const density = count / ((2 * WINDOW) / 1000) / Math.max(1, stat.laneCount);
  const meanSpeed = count > 0 ? speedSum / count : 0;
  const queueLength = queueVehicles > 0 ? queueEnd - queueStart : 0;
  const level = flowLevel(density);
  return {
    density,
    meanSpeed,
    queueVehicles,
    queueLength,
    level,
    sentence: describe(level, meanSpeed, queueVehicles, queueLength, stat.speedLimit),
  };
}

function flowLevel(density: number): FlowLevel {
  if (density <= 0) return 'empty';
  if (density < 20) return 'light';
  if (density < 45) return 'moderate';
  return 'heavy';
}

function describe(
  level: FlowLevel,
  meanSpeed: number,
  queue: number,
  queueLength: number,
  limit: number,
): string {
  if (level === 'empty') return 'The road around you is empty.';
  const pace =
    meanSpeed < STOPPED
      ? 'standing still'
      : meanSpeed > FREE_SPEED * limit
        ? `moving freely at about ${metresPerSecond(meanSpeed)}`
        : `moving slowly at about ${metresPerSecond(meanSpeed)}`;
  const queued =
    queue > 0
      ? ` A queue of ${queue} stopped vehicle${queue > 1 ? 's' : ''} (${metres(queueLength)}) is ahead in your lane.`
      : '';
  return `${level[0]!.toUpperCase()}${level.slice(1)} traffic, ${pace}.${queued}`;
}

export function tflQa(label: TflLabel, seed: number): QaPair[] {
  return askAll('tfl', seed, [
    ['flow_level', ['How heavy is the traffic?', 'Describe the traffic density in one word.'], label.level],
    [
      'mean_speed',
      [
        'What is the mean speed of the traffic around you?',
        'How fast is the surrounding traffic on average?',
      ],
      metresPerSecond(label.meanSpeed),
    ],
    [
      'queue_vehicles',
      ['How many stopped vehicles are queued ahead in your lane?', 'Length of the queue ahead, in vehicles?'],
      String(label.queueVehicles),
    ],
    [
      'density',
      ['What is the traffic density per lane, in vehicles per km?', 'Vehicles per km per lane around you?'],
      String(whole(label.density)),
    ],
    ['flow_sentence', ['Describe the traffic flow.', 'How is the traffic flowing?'], label.sentence],
  ]);
}
