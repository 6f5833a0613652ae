// Ego's position along its route: arc length along the chain of route lanes, per logged state.
// The basis of ego progress (EP) and of driving-direction compliance; not route planning (road/lane-graph.ts).

import { lanePose, type ProjectionHint, projectToLane } from '../road/geometry.js';
import type { EpisodeLog, RoadMap, Route, Scenario } from '../types.js';

/** Where ego is along the route at each state. */
export interface RouteTrack {
  readonly s: Float64Array; // (n,) arc length from the start of the route's first lane [m]
  readonly chain: Int32Array; // (n,) index into route.laneIds of the lane ego is nearest to
  /** (n,) signed distance from that lane's centreline, left positive, its end segments extended [m]. */
  readonly lateral: Float64Array;
}

/**
 * Arc length at the start of each route lane. A successor starts where its predecessor ends; a neighbour
 * (a lane change in the route) runs alongside, so it shares its predecessor's start.
 */
function chainOffsets(map: RoadMap, route: Route): Float64Array {
  const ids = route.laneIds;
  const offsets = new Float64Array(ids.length);
  for (let i = 1; i < ids.length; i++) {
    const prev = map.lanes[ids[i - 1]];
    offsets[i] = prev.successors.includes(ids[i]) ? offsets[i - 1] + prev.length : offsets[i - 1];
  }
  return offsets;
}

/**
 * Projects ego's centre (x, y each (n,)) onto the route lanes, state by state. At t = 0 every route lane is
 * tried; later only the lane of the previous state, the one before it and the next two, so the track follows
 * the chain (and reversing across a lane joint is tracked back). The nearest centreline point wins; on a tie
 * the later lane, so a joint maps to the same arc length from both sides.
 */
export function routeTrack(
  map: RoadMap,
  route: Route,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
): RouteTrack {
  const ids = route.laneIds;
  const offsets = chainOffsets(map, route);
  const s = new Float64Array(n);
  const chain = new Int32Array(n);
  const lateral = new Float64Array(n);
  const hints: ProjectionHint[] = []; // one per route lane: ego moves little from state to state
  for (let i = 0; i < ids.length; i++) hints.push({ segment: -1 });
  let cur = 0;
  for (let t = 0; t < n; t++) {
    const from = t === 0 ? 0 : Math.max(0, cur - 1);
    const to = t === 0 ? ids.length - 1 : Math.min(ids.length - 1, cur + 2);
    let best = Number.POSITIVE_INFINITY;
    for (let i = from; i <= to; i++) {
      const lane = map.lanes[ids[i]];
      const p = projectToLane(lane, x[t], y[t], hints[i]);
      const pose = lanePose(lane, p.s);
      const d = Math.hypot(x[t] - pose.x, y[t] - pose.y);
      if (d <= best) {
        best = d;
        cur = i;
        s[t] = offsets[i] + p.s;
        lateral[t] = p.lateral;
      }
    }
    chain[t] = cur;
  }
  return { s, chain, lateral };
}

/**
 * Ego's progress along the route over the episode [m]: route arc length at the last state minus at the first,
 * clipped at 0 (NAVSIM projects the first and last centre onto the route centreline). sim-agents calls this on
 * the expert's log to get the reference progress for EP.
 */
export function routeProgress(scenario: Scenario, log: EpisodeLog): number {
  const n = log.steps + 1;
  const track = routeTrack(scenario.map, scenario.route, log.x.subarray(0, n), log.y.subarray(0, n), n);
  return Math.max(0, track.s[n - 1] - track.s[0]);
}
