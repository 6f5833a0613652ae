// Static-element labels: ego's lane, the lane count, stop lines and crosswalks ahead, the speed limit.
// Not moving things (dynamic.ts) and not the light's colour (tsl.ts).

import { projectToLane } from '../sim/road/geometry.js';
import type { RoadMap } from '../sim/types.js';
import type { LabelFrame } from './frame.js';
import { askAll, metres, metresPerSecond, type QaPair } from './qa.js';
import { type EgoOnRoad, stopLinesAhead } from './road-ahead.js';

const STATIC_REACH = 80; // [m] stop lines and crosswalks further than this are not labelled

export interface StaticLabel {
  readonly laneId: number; // -1 when ego is off the lane graph
  readonly laneIndex: number; // 1 = leftmost lane of ego's direction; 0 when off the graph
  readonly laneCount: number; // same-direction lanes side by side; 0 when off the graph
  readonly onJunction: boolean; // ego is on a connector lane through a junction
  readonly speedLimit: number; // [m/s] of ego's lane; 0 when off the graph
  readonly stopLines: readonly { readonly distance: number; readonly signalised: boolean }[]; // nearest first
  readonly crosswalks: readonly { readonly id: number; readonly distance: number }[]; // nearest first
}

/** Static elements around ego at the frame; `road` is egoOnRoad(frame). */
export function staticLabel(frame: LabelFrame, road: EgoOnRoad | null): StaticLabel {
  const { map } = frame.scenario;
  if (!road) {
    return {
      laneId: -1,
      laneIndex: 0,
      laneCount: 0,
      onJunction: false,
      speedLimit: 0,
      stopLines: [],
      crosswalks: [],
    };
  }
  const lane = map.lanes[road.laneId]!;
  const { chain } = road;
  const crosswalks: { id: number; distance: number }[] = [];
  for (const crosswalk of map.crosswalks) {
    const [cx, cy] = centroid(crosswalk.polygon);
    for (const { lane: ahead, offset } of chain) {
      if (!crosswalk.laneIds.includes(ahead.id)) continue;
      const distance = offset + projectToLane(ahead, cx, cy).s;
      if (distance >= 0 && distance <= STATIC_REACH) crosswalks.push({ id: crosswalk.id, distance });
      break;
    }
  }
  crosswalks.sort((a, b) => a.distance - b.distance);
  return {
    laneId: lane.id,
    laneIndex: countNeighbours(map, lane.id, 'left') + 1,
    laneCount: countNeighbours(map, lane.id, 'left') + countNeighbours(map, lane.id, 'right') + 1,
    onJunction: lane.kind === 'connector',
    speedLimit: lane.speedLimit,
    stopLines: stopLinesAhead(chain, STATIC_REACH).map((l) => ({
      distance: l.distance,
      signalised: l.lightId >= 0,
    })),
    crosswalks,
  };
}

function countNeighbours(map: RoadMap, laneId: number, side: 'left' | 'right'): number {
  let n = 0;
  let id = laneId;
  for (;;) {
    const lane = map.lanes[id]!;
    id = side === 'left' ? lane.leftNeighbour : lane.rightNeighbour;
    if (id < 0 || n >= map.lanes.length) return n;
    n++;
  }
}

function centroid(polygon: Float32Array): [number, number] {
  let x = 0;
  let y = 0;
  const n = polygon.length / 2;
  for (let i = 0; i < n; i++) {
    x += polygon[2 * i]!;
    y += polygon[2 * i + 1]!;
  }
  return [x / n, y / n];
}

export function staticQa(label: StaticLabel, seed: number): QaPair[] {
  const line = label.stopLines[0];
  const crosswalk = label.crosswalks[0];
  return askAll('static', seed, [
    [
      'lane_count',
      [
        'How many lanes go your way here?',
        'How many lanes are there in your direction?',
        'Count the lanes in your direction.',
      ],
      String(label.laneCount),
    ],
    [
      'lane_index',
      ['Which lane are you in, counting from the left?', 'Counting from the left, what is your lane number?'],
      String(label.laneIndex),
    ],
    [
      'speed_limit',
      ['What is the speed limit here?', 'How fast may you drive on this lane?', 'State the speed limit.'],
      metresPerSecond(label.speedLimit),
    ],
    [
      'stop_line_distance',
      [
        'How far ahead is the next stop line?',
        'Distance to the next stop line?',
        'Where is the next stop line?',
      ],
      line ? metres(line.distance) : 'none',
    ],
    [
      'crosswalk_distance',
      [
        'How far ahead is the next crosswalk?',
        'Is there a crosswalk ahead, and how far?',
        'Distance to the next crosswalk?',
      ],
      crosswalk ? metres(crosswalk.distance) : 'none',
    ],
  ]);
}
