// Lane centreline geometry: building a polyline with its arc lengths, the pose at an arc length, and projecting a
// point onto a lane (arc length and signed lateral offset). Not lane topology (lane-graph.ts) nor map layout.

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

/** The nearest foot point found so far (squared distance, segment: -1 for none) and its projection. */
const foot = { d2: Number.POSITIVE_INFINITY, segment: -1, s: 0, lateral: 0 };

function resetFoot(): void {
  foot.d2 = Number.POSITIVE_INFINITY;
  foot.segment = -1;
  foot.s = 0;
  foot.lateral = 0;
}

/**
 * Scans segments first..end of the lane into `foot`: a nearer foot point wins, an equally near one on an
 * earlier segment too (so the result is the earliest nearest segment whatever order ranges are scanned in).
 * Degenerate segments are skipped.
 */
function scanSegments(lane: Lane, x: number, y: number, first: number, end: number): void {
  const p = lane.points;
  const last = lane.s.length - 2;
  for (let i = first; i <= end; i++) {
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
    const e2 = (x - fx) * (x - fx) + (y - fy) * (y - fy);
    if (e2 < foot.d2 || (e2 === foot.d2 && i < foot.segment)) {
      foot.d2 = e2;
      foot.segment = i;
      const len = Math.sqrt(len2);
      foot.s = lane.s[i] + u * len;
      foot.lateral = (dx * (y - ay) - dy * (x - ax)) / len;
    }
  }
}

const CHUNK = 16; // segments per bounding circle of a lane's chunk index
const GROUP = 8; // chunks per bounding circle of the index's upper level
const CHUNK_SLACK = 1e-6; // [m] a chunk is skipped only when farther than the best foot point by more than this

/**
 * A lane's segments in chunks of CHUNK, each with a circle holding its points, and the chunks in groups of
 * GROUP with a circle holding theirs: (C, 3) and (G, 3) centre x, y and radius [m].
 */
interface Chunks {
  readonly chunks: Float64Array;
  readonly groups: Float64Array;
}

const chunkIndex = new WeakMap<Lane, Chunks>();

/**
 * A circle holding points from..to of a polyline ((P, 2) x, y): centred on their bounding box, the radius to the
 * farthest. Written as centre x, y, radius [m] into `out` at `at`.
 */
export function boundingCircle(
  points: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): void {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = from; i <= to; i++) {
    minX = Math.min(minX, points[2 * i]);
    maxX = Math.max(maxX, points[2 * i]);
    minY = Math.min(minY, points[2 * i + 1]);
    maxY = Math.max(maxY, points[2 * i + 1]);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  let r = 0;
  for (let i = from; i <= to; i++) r = Math.max(r, Math.hypot(points[2 * i] - cx, points[2 * i + 1] - cy));
  out[at] = cx;
  out[at + 1] = cy;
  out[at + 2] = r;
}

function chunksOf(lane: Lane): Chunks {
  let c = chunkIndex.get(lane);
  if (c) return c;
  const segments = lane.s.length - 1;
  const count = Math.ceil(segments / CHUNK);
  const groups = Math.ceil(count / GROUP);
  c = { chunks: new Float64Array(count * 3), groups: new Float64Array(groups * 3) };
  for (let k = 0; k < count; k++)
    boundingCircle(lane.points, k * CHUNK, Math.min(segments, (k + 1) * CHUNK), c.chunks, 3 * k);
  for (let g = 0; g < groups; g++) {
    const to = Math.min(segments, (g + 1) * GROUP * CHUNK);
    boundingCircle(lane.points, g * GROUP * CHUNK, to, c.groups, 3 * g);
  }
  chunkIndex.set(lane, c);
  return c;
}

/** Where a previous projection onto the same lane landed: its segment, -1 before the first (only speeds it up). */
export interface ProjectionHint {
  segment: number;
}

/**
 * The same nearest foot point as scanning every segment in order (the earliest segment on a tie), scanning
 * only the chunks whose bounding circle could hold a nearer one: first the hint's chunk (without a known hint
 * the chunk nearest by its far side) for a tight bound, then the two end segments (extended, so outside their
 * chunk's circle), then the other chunks in order, whole groups of them skipped by their circle. Into `foot`.
 */
function scanLane(lane: Lane, x: number, y: number, hint: ProjectionHint | undefined): void {
  resetFoot();
  const last = lane.s.length - 2;
  const { chunks, groups } = chunksOf(lane);
  const count = chunks.length / 3;
  if (count <= 2) {
    scanSegments(lane, x, y, 0, last);
    return;
  }
  const known = hint !== undefined && hint.segment >= 0;
  let seed = known ? Math.min(count - 1, Math.floor(hint.segment / CHUNK)) : 0;
  if (!known) {
    let seedFar = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const dx = x - chunks[3 * k];
      const dy = y - chunks[3 * k + 1];
      const far = Math.sqrt(dx * dx + dy * dy) + chunks[3 * k + 2];
      if (far < seedFar) {
        seed = k;
        seedFar = far;
      }
    }
  }
  scanSegments(lane, x, y, seed * CHUNK, Math.min(last, seed * CHUNK + CHUNK - 1));
  scanSegments(lane, x, y, 0, 0);
  scanSegments(lane, x, y, last, last);
  let bound = Math.sqrt(foot.d2) + CHUNK_SLACK;
  for (let g = 0; g < groups.length / 3; g++) {
    const gx = x - groups[3 * g];
    const gy = y - groups[3 * g + 1];
    const far = bound + groups[3 * g + 2];
    if (gx * gx + gy * gy > far * far) continue; // every clamped foot point in the group is farther
    for (let k = g * GROUP; k < Math.min(count, (g + 1) * GROUP); k++) {
      if (k === seed) continue;
      const dx = x - chunks[3 * k];
      const dy = y - chunks[3 * k + 1];
      const reach = bound + chunks[3 * k + 2];
      if (dx * dx + dy * dy > reach * reach) continue; // every clamped foot point in the chunk is farther
      scanSegments(lane, x, y, k * CHUNK, Math.min(last, k * CHUNK + CHUNK - 1));
      bound = Math.sqrt(foot.d2) + CHUNK_SLACK;
    }
  }
}

/**
 * Projects (x, y) onto the lane's centreline: the nearest segment's foot point. Before the first point and after
 * the last the end segments are extended, so s runs below 0 and above the length there. A `hint` (the previous
 * projection of a nearby point onto this lane) changes only the work, not the result, and is updated.
 */
export function projectToLane(lane: Lane, x: number, y: number, hint?: ProjectionHint): LaneProjection {
  scanLane(lane, x, y, hint);
  if (hint && foot.segment >= 0) hint.segment = foot.segment;
  return { s: foot.s, lateral: foot.lateral };
}

/**
 * projectToLane restricted to the segments within `window` metres of arc length `hint`: O(window) instead of
 * O(lane) for agents that move a little each step. Falls back to the whole lane when the point is far off.
 */
export function projectNear(lane: Lane, x: number, y: number, hint: number, window = 15): LaneProjection {
  resetFoot();
  scanSegments(lane, x, y, segmentAt(lane, hint - window), segmentAt(lane, hint + window));
  return foot.d2 > window * window ? projectToLane(lane, x, y) : { s: foot.s, lateral: foot.lateral };
}
