// Lane topology: which lane a pose is in, the lanes that follow one another, and shortest routes between lanes.
// Not centreline geometry (geometry.ts) nor how maps are laid out (layouts/).

import { wrapAngle } from '../../core/angle.js';
import type { Lane, RoadMap } from '../types.js';
import { lanePose, projectToLane } from './geometry.js';

/** Where a pose lies on the lane graph. */
export interface LaneLocation {
  readonly laneId: number;
  readonly s: number; // [m] along the lane
  readonly lateral: number; // [m] from its centreline, left positive
}

const END_TOLERANCE = 0.5; // [m] a point this far beyond a lane's ends still counts as on it
const boxes = new WeakMap<Lane, Float32Array>(); // (4,) minX, minY, maxX, maxY of a lane's ribbon [m]

function laneBox(lane: Lane): Float32Array {
  let box = boxes.get(lane);
  if (!box) {
    box = new Float32Array([Infinity, Infinity, -Infinity, -Infinity]);
    const p = lane.points;
    for (let i = 0; i < p.length; i += 2) {
      box[0] = Math.min(box[0], p[i] - lane.width);
      box[1] = Math.min(box[1], p[i + 1] - lane.width);
      box[2] = Math.max(box[2], p[i] + lane.width);
      box[3] = Math.max(box[3], p[i + 1] + lane.width);
    }
    boxes.set(lane, box);
  }
  return box;
}

/**
 * The lane a pose is in: among lanes whose direction at the foot point is within 90 deg of `heading` and whose
 * ribbon (one lane width either side of the centreline) holds the point, the one with the nearest centreline.
 * Null when no lane qualifies (off the road, or driving against every lane there).
 */
export function locate(map: RoadMap, x: number, y: number, heading: number): LaneLocation | null {
  let best: LaneLocation | null = null;
  for (const lane of map.lanes) {
    const box = laneBox(lane);
    if (x < box[0] || y < box[1] || x > box[2] || y > box[3]) continue;
    const p = projectToLane(lane, x, y);
    if (p.s < -END_TOLERANCE || p.s > lane.length + END_TOLERANCE) continue;
    if (Math.abs(p.lateral) > lane.width) continue;
    if (best && Math.abs(p.lateral) >= Math.abs(best.lateral)) continue;
    if (Math.abs(wrapAngle(lanePose(lane, p.s).heading - heading)) > Math.PI / 2) continue;
    best = { laneId: lane.id, s: p.s, lateral: p.lateral };
  }
  return best;
}

/**
 * The shortest chain of lanes (by length driven) from lane `from` to lane `to`, moving along successors and,
 * at a cost of `changeCost` metres, to a same-direction neighbour. Null when `to` cannot be reached.
 */
export function routeLanes(map: RoadMap, from: number, to: number, changeCost = 30): number[] | null {
  const n = map.lanes.length;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++)
      if (!done[i] && dist[i] < Number.POSITIVE_INFINITY && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) return null;
    if (u === to) break;
    done[u] = 1;
    const lane = map.lanes[u];
    const relax = (v: number, cost: number) => {
      if (v >= 0 && dist[u] + cost < dist[v]) {
        dist[v] = dist[u] + cost;
        prev[v] = u;
      }
    };
    for (const v of lane.successors) relax(v, lane.length);
    relax(lane.leftNeighbour, changeCost);
    relax(lane.rightNeighbour, changeCost);
  }
  const chain = [to];
  while (chain[0] !== from) chain.unshift(prev[chain[0]]);
  return chain;
}

/** The successor of `lane` that continues most nearly straight; -1 at a dead end. */
export function straightestSuccessor(map: RoadMap, laneId: number): number {
  const lane = map.lanes[laneId];
  const heading = lanePose(lane, lane.length).heading;
  let best = -1;
  let bestTurn = Number.POSITIVE_INFINITY;
  for (const id of lane.successors) {
    const next = map.lanes[id];
    const turn = Math.abs(wrapAngle(lanePose(next, next.length).heading - heading));
    if (turn < bestTurn) {
      bestTurn = turn;
      best = id;
    }
  }
  return best;
}
