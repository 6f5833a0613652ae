// The lanes ego will drive next, read from the map along its route: where stop lines and crosswalks lie ahead.
// Not routing (sim/road/lane-graph.ts finds routes); this only walks the route ego already has.

import { locate } from '../sim/road/lane-graph.js';
import type { Lane, RoadMap, Route } from '../sim/types.js';
import { type LabelFrame, poseAt } from './frame.js';

export const LOOK_AHEAD = 100; // [m] how far ahead of ego the road is read for labels

export interface LaneAhead {
  readonly lane: Lane;
  /** Distance from ego to the lane's start along the path [m]; negative for the lane ego is on. */
  readonly offset: number;
}

/**
 * The chain of lanes from ego's lane (at arc length s) until `horizon` metres ahead: the next lane is the
 * route's next lane when ego's lane is on the route, else the first successor.
 */
export function lanesAhead(
  map: RoadMap,
  route: Route,
  laneId: number,
  s: number,
  horizon: number,
): LaneAhead[] {
  const chain: LaneAhead[] = [];
  let lane: Lane | undefined = map.lanes[laneId];
  let offset = -s;
  while (lane && offset < horizon && chain.length < map.lanes.length) {
    chain.push({ lane, offset });
    offset += lane.length;
    const onRoute = route.laneIds.indexOf(lane.id);
    const next: number | undefined =
      onRoute >= 0 && onRoute + 1 < route.laneIds.length ? route.laneIds[onRoute + 1] : lane.successors[0];
    lane = next === undefined ? undefined : map.lanes[next];
  }
  return chain;
}

export interface StopLineAhead {
  readonly laneId: number;
  readonly lightId: number; // -1: an unsignalised crosswalk line
  readonly distance: number; // [m] along the path from ego
}

/** Stop lines on the lanes ahead, nearest first, from 0 to `horizon` metres. */
export function stopLinesAhead(chain: readonly LaneAhead[], horizon: number): StopLineAhead[] {
  const lines: StopLineAhead[] = [];
  for (const { lane, offset } of chain) {
    const line = lane.stopLine;
    if (!line) continue;
    const distance = offset + line.s;
    if (distance >= 0 && distance <= horizon)
      lines.push({ laneId: lane.id, lightId: line.lightId, distance });
  }
  return lines;
}

/** Ego's place on the lane graph at the frame and the lanes ahead of it, or null when it is off the graph. */
export interface EgoOnRoad {
  readonly laneId: number;
  readonly s: number; // [m] along laneId
  readonly chain: readonly LaneAhead[]; // to LOOK_AHEAD
}

export function egoOnRoad(frame: LabelFrame): EgoOnRoad | null {
  const { map, route } = frame.scenario;
  const ego = poseAt(frame.log, 0, frame.step);
  const here = locate(map, ego.x, ego.y, ego.heading);
  if (!here) return null;
  return { laneId: here.laneId, s: here.s, chain: lanesAhead(map, route, here.laneId, here.s, LOOK_AHEAD) };
}
