// Lane centreline geometry: building a polyline with its arc lengths, the pose at an arc length, and projecting a
// point onto a lane (arc length and signed lateral offset). Not lane topology (lane-graph.ts) nor map layout.

import { wrapAngle } from '../../core/angle.js';
import type { Lane } from '../types.js';

/** A point on a lane's centreline. */
export interface LanePose {
  readonly x: number; // [m]
  readonly y: number; // [m]
  readonly heading: number; // direction of travel [rad]
}

/** A point's place relative to a lane: arc length of its foot point and signed offset, left positive. */
export interface LaneProjection {
  readonly s: number; // [m]; below 0 or above length when the point lies beyond the lane's ends
  readonly lateral: number; // [m]
}

/** Centreline points (P, 2) and their cumulative arc lengths (P,) from a list of [x, y] points. */
export function polyline(points: readonly (readonly [number, number])[]): {
  points: Float32Array;
  s: Float32Array;
} {
  const xy = new Float32Array(points.length * 2);
  const s = new Float32Array(points.length);
  let acc = 0;
  for (let i = 0; i < points.length; i++) {
    xy[2 * i] = points[i][0];
    xy[2 * i + 1] = points[i][1];
    if (i > 0) acc += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
    s[i] = acc;
  }
  return { points: xy, s };
}

/** Index i of the segment (i, i + 1) holding arc length s, clamped to the first and last segment. */
export function segmentAt(lane: Lane, s: number): number {
  const arc = lane.s;
  let lo = 0;
  let hi = arc.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (arc[mid] <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The centreline pose at arc length s; beyond the ends the end segments are extended straight. */
export function lanePose(lane: Lane, s: number): LanePose {
  const i = segmentAt(lane, s);
  const p = lane.points;
  const dx = p[2 * i + 2] - p[2 * i];
  const dy = p[2 * i + 3] - p[2 * i + 1];
  const len = lane.s[i + 1] - lane.s[i];
  const u = len > 0 ? (s - lane.s[i]) / len : 0;
  return { x: p[2 * i] + u * dx, y: p[2 * i + 1] + u * dy, heading: Math.atan2(dy, dx) };
}

/** Centreline curvature near arc length s [1/m], positive turning left: heading change over the nearby segments. */
export function laneCurvature(lane: Lane, s: number): number {
  const i = segmentAt(lane, s);
  if (lane.s.length < 3) return 0;
  const a = Math.min(i, lane.s.length - 3);
  const p = lane.points;
  const h0 = Math.atan2(p[2 * a + 3] - p[2 * a + 1], p[2 * a + 2] - p[2 * a]);
  const h1 = Math.atan2(p[2 * a + 5] - p[2 * a + 3], p[2 * a + 4] - p[2 * a + 2]);
  const ds = (lane.s[a + 2] - lane.s[a]) / 2;
  return ds > 0 ? wrapAngle(h1 - h0) / ds : 0;
}

/**
 * Projects (x, y) onto the lane's centreline: the nearest segment's foot point. Before the first point and after
 * the last the end segments are extended, so s runs below 0 and above the length there.
 */
export function projectToLane(lane: Lane, x: number, y: number): LaneProjection {
  const p = lane.points;
  const last = lane.s.length - 2;
  let best = Number.POSITIVE_INFINITY;
  let bestS = 0;
  let bestLat = 0;
  for (let i = 0; i <= last; i++) {
    const ax = p[2 * i];
    const ay = p[2 * i + 1];
    const dx = p[2 * i + 2] - ax;
    const dy = p[2 * i + 3] - ay;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    let u = ((x - ax) * dx + (y - ay) * dy) / len2;
    if (u < 0 && i > 0) u = 0;
    if (u > 1 && i < last) u = 1;
    const fx = ax + u * dx;
    const fy = ay + u * dy;
    const d2 = (x - fx) * (x - fx) + (y - fy) * (y - fy);
    if (d2 < best) {
      best = d2;
      const len = Math.sqrt(len2);
      bestS = lane.s[i] + u * len;
      bestLat = (dx * (y - ay) - dy * (x - ax)) / len;
    }
  }
  return { s: bestS, lateral: bestLat };
}
