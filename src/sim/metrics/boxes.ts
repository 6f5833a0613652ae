// Oriented-box geometry for the metrics: separating-axis overlap of two boxes, a box's four corners, bearings,
// and the bounds of a track's centres. Scalar arguments and caller-owned outputs so the collision and TTC loops
// allocate nothing.

/**
 * Whether two oriented boxes overlap (touching counts), by the separating-axis theorem: two rectangles are
 * disjoint iff their projections are disjoint on one of the four edge normals. Half extents along each
 * box's heading (`hl`) and across it (`hw`) [m]; a zero half extent makes a segment (ego's front edge).
 */
export function boxesOverlap(
  ax: number,
  ay: number,
  aHeading: number,
  aHl: number,
  aHw: number,
  bx: number,
  by: number,
  bHeading: number,
  bHl: number,
  bHw: number,
): boolean {
  const ac = Math.cos(aHeading);
  const as = Math.sin(aHeading);
  const bc = Math.cos(bHeading);
  const bs = Math.sin(bHeading);
  const dx = bx - ax;
  const dy = by - ay;
  const cosAB = Math.abs(ac * bc + as * bs); // |ua . ub| = |va . vb|
  const sinAB = Math.abs(ac * bs - as * bc); // |ua . vb| = |va . ub|
  if (Math.abs(dx * ac + dy * as) > aHl + bHl * cosAB + bHw * sinAB) return false; // axis ua
  if (Math.abs(-dx * as + dy * ac) > aHw + bHl * sinAB + bHw * cosAB) return false; // axis va
  if (Math.abs(dx * bc + dy * bs) > bHl + aHl * cosAB + aHw * sinAB) return false; // axis ub
  if (Math.abs(-dx * bs + dy * bc) > bHw + aHl * sinAB + aHw * cosAB) return false; // axis vb
  return true;
}

/** Writes a box's corners into `out` (4, 2): front-left, front-right, rear-right, rear-left [m]. */
export function boxCorners(
  x: number,
  y: number,
  heading: number,
  hl: number,
  hw: number,
  out: Float64Array,
): Float64Array {
  const c = Math.cos(heading);
  const s = Math.sin(heading);
  const fx = c * hl;
  const fy = s * hl;
  const lx = -s * hw;
  const ly = c * hw;
  out[0] = x + fx + lx;
  out[1] = y + fy + ly;
  out[2] = x + fx - lx;
  out[3] = y + fy - ly;
  out[4] = x - fx - lx;
  out[5] = y - fy - ly;
  out[6] = x - fx + lx;
  out[7] = y - fy + ly;
  return out;
}

/** Heading of ego's direction of motion: its heading, turned by pi while it reverses (speed < 0). */
export function motionHeading(heading: number, speed: number): number {
  return speed < 0 ? heading + Math.PI : heading;
}

/** The angle between ego's direction `h` and the bearing from (ox, oy) to (x, y) [rad], in [0, pi]. */
export function bearingOff(ox: number, oy: number, h: number, x: number, y: number): number {
  const dx = x - ox;
  const dy = y - oy;
  const c = Math.cos(h);
  const s = Math.sin(h);
  return Math.abs(Math.atan2(-dx * s + dy * c, dx * c + dy * s));
}

/** [m] bounds are apart only by more than this on top of the gap asked for: covers rounding of the positions. */
const BOUNDS_SLACK = 1e-6;

/** Empties `out` (4,) minX, minY, maxX, maxY for widening by widenBounds. */
export function emptyBounds(out: Float64Array): Float64Array {
  out[0] = Number.POSITIVE_INFINITY;
  out[1] = Number.POSITIVE_INFINITY;
  out[2] = Number.NEGATIVE_INFINITY;
  out[3] = Number.NEGATIVE_INFINITY;
  return out;
}

/** Widens bounds `out` (4,) to hold (x, y). */
export function widenBounds(out: Float64Array, x: number, y: number): void {
  if (x < out[0]) out[0] = x;
  if (y < out[1]) out[1] = y;
  if (x > out[2]) out[2] = x;
  if (y > out[3]) out[3] = y;
}

/**
 * Whether every point of bounds `a` is more than `gap` from every point of bounds `b` along x or along y (so
 * any two points, one from each, are more than `gap` apart); true when either is empty.
 */
export function boundsApart(a: Float64Array, b: Float64Array, gap: number): boolean {
  const g = gap + BOUNDS_SLACK;
  return (
    b[0] - a[2] > g ||
    a[0] - b[2] > g ||
    b[1] - a[3] > g ||
    a[1] - b[3] > g ||
    !(a[0] <= a[2] && b[0] <= b[2])
  );
}
