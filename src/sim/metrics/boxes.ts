// Oriented-box geometry for the metrics: separating-axis overlap of two boxes, a box's four corners, bearings.
// Scalar arguments and caller-owned outputs so the collision and TTC loops allocate nothing.

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
