// DDC, driving-direction compliance (NAVSIM v2 `driving_direction_compliance`): how far ego drives with its
// centre in an oncoming lane within any 1 s window. Not lane keeping (lane-keeping.ts).

import { projectToLane } from '../road/geometry.js';
import type { RoadMap } from '../types.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

export const DDC_WINDOW = 1.0; // [s] (NAVSIM driving_direction_horizon)
export const DDC_COMPLIANCE = 2.0; // [m] below this: 1 (NAVSIM driving_direction_compliance_threshold)
export const DDC_VIOLATION = 6.0; // [m] from compliance up to this: 0.5, beyond: 0 (NAVSIM ..._violation_threshold)

/**
 * The opposite-direction lanes alongside a lane: its `oncoming` lane (or, for an inner lane without one, that
 * of the nearest lane to its left that has one) and all that lane's same-direction neighbours.
 */
function oncomingGroup(map: RoadMap, laneId: number): number[] {
  let lane = map.lanes[laneId];
  while (lane.oncoming < 0 && lane.leftNeighbour >= 0) lane = map.lanes[lane.leftNeighbour];
  if (lane.oncoming < 0) return [];
  const group = [lane.oncoming];
  for (const side of ['leftNeighbour', 'rightNeighbour'] as const) {
    for (let id = map.lanes[lane.oncoming][side]; id >= 0 && !group.includes(id); id = map.lanes[id][side]) {
      group.push(id);
    }
  }
  return group;
}

/**
 * DDC per state. Ego's centre is in an oncoming lane when it lies within the width (and length) of one of the
 * opposite-direction lanes alongside the route lane it is on (route.ts); the distance ego's centre moves into a
 * state spent there counts as oncoming progress. DDC at state t grades the oncoming progress of the last 1 s
 * (10 steps) ending at t: < 2 m -> 1, < 6 m -> 0.5, else 0. Episode DDC is the minimum, i.e. the grade of the
 * worst window (NAVSIM sums a 1 s horizon per state and takes the maximum).
 */
export function directionSeries(ctx: EpisodeContext): StepSeries {
  const { n, map } = ctx;
  const ids = ctx.scenario.route.laneIds;
  const groups = ids.map((id) => oncomingGroup(map, id));
  const series = passingSeries(n);
  const window = Math.round(DDC_WINDOW / ctx.dt);
  const moved = new Float64Array(n); // oncoming progress into each state [m]
  let sum = 0;
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    if (t > 0 && ctx.valid[t] === 1 && ctx.valid[t - 1] === 1) {
      for (const id of groups[ctx.route.chain[t]]) {
        const lane = map.lanes[id];
        const p = projectToLane(lane, ctx.x[t], ctx.y[t]);
        if (Math.abs(p.lateral) <= lane.width / 2 && p.s > 0 && p.s < lane.length) {
          moved[t] = Math.hypot(ctx.x[t] - ctx.x[t - 1], ctx.y[t] - ctx.y[t - 1]);
          break;
        }
      }
    }
    sum += moved[t] - (t >= window ? moved[t - window] : 0);
    series.values[t] = sum < DDC_COMPLIANCE ? 1 : sum < DDC_VIOLATION ? 0.5 : 0;
  }
  return series;
}
