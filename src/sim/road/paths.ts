// Point sequences for centrelines: a reference line from straight and circular pieces, parallel offsets, and
// Bezier curves through junctions. Geometry construction only; lanes and links are made by builder.ts.

export type Point = readonly [number, number];

/** One piece of a reference line: `length` metres at constant `curvature` (1/m, positive left). */
export interface Piece {
  readonly length: number; // [m]
  readonly curvature: number; // [1/m]
}

const SAMPLE_SPACING = 2; // [m] between centreline points

/** Points along consecutive pieces from `start` heading `heading` [rad]. */
export function referenceLine(start: Point, heading: number, pieces: readonly Piece[]): Point[] {
  const out: Point[] = [start];
  let [x, y] = start;
  let h = heading;
  for (const piece of pieces) {
    const steps = Math.max(1, Math.ceil(piece.length / SAMPLE_SPACING));
    const ds = piece.length / steps;
    for (let i = 0; i < steps; i++) {
      // Exact arc step: chord of length 2 sin(k ds / 2) / k at the mid heading.
      const dh = piece.curvature * ds;
      const chord = Math.abs(dh) < 1e-9 ? ds : (2 * Math.sin(dh / 2)) / piece.curvature;
      x += chord * Math.cos(h + dh / 2);
      y += chord * Math.sin(h + dh / 2);
      h += dh;
      out.push([x, y]);
    }
  }
  return out;
}

/** The line shifted `offset` metres to its left (negative: right), point by point along the local normal. */
export function offsetLine(line: readonly Point[], offset: number): Point[] {
  return line.map((p, i) => {
    const a = line[Math.max(0, i - 1)];
    const b = line[Math.min(line.length - 1, i + 1)];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const nx = -(b[1] - a[1]) / len;
    const ny = (b[0] - a[0]) / len;
    return [p[0] + nx * offset, p[1] + ny * offset] as const;
  });
}

/** A cubic Bezier from p0 leaving along heading h0 to p3 arriving along heading h3, sampled every ~0.25 m. */
export function bezierConnector(p0: Point, h0: number, p3: Point, h3: number): Point[] {
  const chord = Math.hypot(p3[0] - p0[0], p3[1] - p0[1]);
  const k = 0.4 * chord;
  const p1 = [p0[0] + k * Math.cos(h0), p0[1] + k * Math.sin(h0)];
  const p2 = [p3[0] - k * Math.cos(h3), p3[1] - k * Math.sin(h3)];
  const steps = Math.max(8, Math.ceil(4 * chord)); // short chords keep the end segments on the tangents
  const out: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const a = (1 - t) ** 3;
    const b = 3 * (1 - t) ** 2 * t;
    const c = 3 * (1 - t) * t * t;
    const d = t ** 3;
    out.push([a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]]);
  }
  return out;
}

/** The heading [rad] of the first segment of a line. */
export function startHeading(line: readonly Point[]): number {
  return Math.atan2(line[1][1] - line[0][1], line[1][0] - line[0][0]);
}
