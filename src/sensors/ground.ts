// The static map rasterised once per RoadMap into top-down ground textures of bit flags (drivable, markings,
// stop lines, crosswalks), a per-route lane raster, and the map's signalised stop lines and light facings.
// Cached in WeakMaps keyed by the map and the route. Not a renderer: camera.ts, bev.ts and birdseye.ts sample these.
// Drivable is painted from the lane ribbons and junction polygons, the sources of the map's drivable grid, finer.

import type { Lane, RoadMap, Route, WorldGrid } from '../sim/types.js';
import { fillPolygon, fillSegment, type SpanSink } from './raster.js';

/** Bits of a ground texel. */
export const Ground = {
  drivable: 1,
  whiteLine: 2, // lane edge, solid or dashed
  yellowLine: 4, // edge towards oncoming traffic
  stopLine: 8,
  crosswalk: 16, // the whole crossing area
  stripe: 32, // a painted zebra bar
} as const;
export const MARKINGS = Ground.whiteLine | Ground.yellowLine | Ground.stopLine | Ground.stripe;

const FINE_RESOLUTION = 0.25; // [m] per texel of the camera's near-field texture
const MAX_FINE_TEXELS = 24_000_000; // the resolution coarsens on very large maps to stay under this
const MARGIN = 2; // [m] around the map bounds, for paint at their edge; beyond the texture is off-road
const LINE_WIDTH = 0.25; // [m] painted lane edge; painted at least 1 texel wide
const STOP_LINE_WIDTH = 0.5; // [m]
const DASH_ON = 3; // [m] painted part of a dashed line
const DASH_PERIOD = 9; // [m]
const STRIPE_WIDTH = 0.6; // [m] zebra bar; the gap is the same
const ROUTE_RESOLUTION = 0.5; // [m]
const POOL_WIDTH = 1; // [m] markings are this much wider in the coarse texture

export interface GroundTextures {
  /** Flags at FINE_RESOLUTION (or coarser on huge maps): the camera's near field and the birdseye picture. */
  readonly fine: WorldGrid;
  /**
   * Flags at twice the fine cell side with every marking POOL_WIDTH wider (zebra bars merged), so thin lines
   * survive sparse sampling: the BEV and the camera's far field.
   */
  readonly coarse: WorldGrid;
  /** Signalised stop lines, (S, 4): x0, y0, x1, y1 [m]. */
  readonly stopLines: Float32Array;
  readonly stopLineLight: Int32Array; // (S,) light id of each
  /** Direction each light head faces (towards the traffic it governs), (L, 2) unit; (0, 0) faces everywhere. */
  readonly lightFacing: Float32Array;
}

const texturesCache = new WeakMap<RoadMap, GroundTextures>();
const routeCache = new WeakMap<Route, WorldGrid>();

export function groundTextures(map: RoadMap): GroundTextures {
  let textures = texturesCache.get(map);
  if (!textures) {
    const box = textureBox(map);
    const resolution = fineResolution(box);
    textures = {
      fine: paintMap(emptyGrid(box, resolution), map, 0),
      coarse: paintMap(emptyGrid(box, 2 * resolution), map, POOL_WIDTH),
      ...stopLinesOf(map),
      lightFacing: lightFacings(map),
    };
    texturesCache.set(map, textures);
  }
  return textures;
}

/** A raster of the route's lanes (1 inside a route lane), cached per route. */
export function routeGrid(map: RoadMap, route: Route): WorldGrid {
  let grid = routeCache.get(route);
  if (!grid) {
    const lanes = route.laneIds.map((id) => map.lanes[id]!);
    const box = lanesBox(lanes);
    grid = emptyGrid(box, ROUTE_RESOLUTION);
    for (const lane of lanes) fillLaneArea(grid, lane, 1);
    routeCache.set(route, grid);
  }
  return grid;
}

// ---------------------------------------------------------------------------------------------------------
// Building

type Box = readonly [number, number, number, number]; // minX, minY, maxX, maxY [m]

function lanesBox(lanes: readonly Lane[]): Box {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const lane of lanes) {
    for (let i = 0; i < lane.points.length; i += 2) {
      minX = Math.min(minX, lane.points[i]! - lane.width);
      maxX = Math.max(maxX, lane.points[i]! + lane.width);
      minY = Math.min(minY, lane.points[i + 1]! - lane.width);
      maxY = Math.max(maxY, lane.points[i + 1]! + lane.width);
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : [0, 0, 1, 1];
}

function emptyGrid(box: Box, resolution: number): WorldGrid {
  const cols = Math.max(1, Math.ceil((box[2] - box[0]) / resolution));
  const rows = Math.max(1, Math.ceil((box[3] - box[1]) / resolution));
  return { originX: box[0], originY: box[1], resolution, cols, rows, cells: new Uint8Array(cols * rows) };
}

// Span sink target for OR-ing bits into a grid.
let orData: Uint8Array = new Uint8Array(0);
let orCols = 0;
let orBits = 0;
function orSpan(row: number, x0: number, x1: number): void {
  for (let i = row * orCols + x0, end = row * orCols + x1; i < end; i++) orData[i]! |= orBits;
}
function target(grid: WorldGrid, bits: number): SpanSink {
  orData = grid.cells;
  orCols = grid.cols;
  orBits = bits;
  return orSpan;
}

const polyX = new Float64Array(4);
const polyY = new Float64Array(4);

/** ORs `bits` into the cells of a world-frame polygon (flat x, y pairs). */
function fillWorldPolygon(grid: WorldGrid, points: ArrayLike<number>, bits: number): void {
  const n = points.length / 2;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = (points[2 * i]! - grid.originX) / grid.resolution;
    ys[i] = (points[2 * i + 1]! - grid.originY) / grid.resolution;
  }
  fillPolygon(xs, ys, n, grid.cols, grid.rows, target(grid, bits));
}

/** ORs `bits` into a world-frame segment `thickness` metres wide. */
function fillWorldSegment(
  grid: WorldGrid,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  thickness: number,
  bits: number,
): void {
  const r = grid.resolution;
  thickness = Math.max(thickness, 1.05 * r); // thinner bands can fall between texel centres
  fillSegment(
    (x0 - grid.originX) / r,
    (y0 - grid.originY) / r,
    (x1 - grid.originX) / r,
    (y1 - grid.originY) / r,
    thickness / r,
    thickness / (2 * r),
    grid.cols,
    grid.rows,
    target(grid, bits),
  );
}

/** Unit left normals at each centreline point, (P, 2): averaged over the adjacent segments. */
function pointNormals(points: Float32Array): Float64Array {
  const n = points.length / 2;
  const normals = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1);
    const b = Math.min(n - 1, i + 1);
    const dx = points[2 * b]! - points[2 * a]!;
    const dy = points[2 * b + 1]! - points[2 * a + 1]!;
    const len = Math.hypot(dx, dy) || 1;
    normals[2 * i] = -dy / len;
    normals[2 * i + 1] = dx / len;
  }
  return normals;
}

/** ORs `bits` into the lane's area: one quad per centreline segment, joined through the point normals. */
function fillLaneArea(grid: WorldGrid, lane: Lane, bits: number): void {
  const p = lane.points;
  const nrm = pointNormals(p);
  const half = lane.width / 2;
  for (let i = 0; i + 1 < p.length / 2; i++) {
    const j = i + 1;
    polyX[0] = (p[2 * i]! + nrm[2 * i]! * half - grid.originX) / grid.resolution;
    polyY[0] = (p[2 * i + 1]! + nrm[2 * i + 1]! * half - grid.originY) / grid.resolution;
    polyX[1] = (p[2 * j]! + nrm[2 * j]! * half - grid.originX) / grid.resolution;
    polyY[1] = (p[2 * j + 1]! + nrm[2 * j + 1]! * half - grid.originY) / grid.resolution;
    polyX[2] = (p[2 * j]! - nrm[2 * j]! * half - grid.originX) / grid.resolution;
    polyY[2] = (p[2 * j + 1]! - nrm[2 * j + 1]! * half - grid.originY) / grid.resolution;
    polyX[3] = (p[2 * i]! - nrm[2 * i]! * half - grid.originX) / grid.resolution;
    polyY[3] = (p[2 * i + 1]! - nrm[2 * i + 1]! * half - grid.originY) / grid.resolution;
    fillPolygon(polyX, polyY, 4, grid.cols, grid.rows, target(grid, bits));
  }
}

/** Paints one lane edge (side +1 left, -1 right) as a solid or dashed line of `bits`. */
function paintEdge(
  grid: WorldGrid,
  lane: Lane,
  side: 1 | -1,
  dashed: boolean,
  width: number,
  bits: number,
): void {
  const p = lane.points;
  const nrm = pointNormals(p);
  const off = (side * lane.width) / 2;
  for (let i = 0; i + 1 < p.length / 2; i++) {
    const j = i + 1;
    const ax = p[2 * i]! + nrm[2 * i]! * off;
    const ay = p[2 * i + 1]! + nrm[2 * i + 1]! * off;
    const bx = p[2 * j]! + nrm[2 * j]! * off;
    const by = p[2 * j + 1]! + nrm[2 * j + 1]! * off;
    if (!dashed) {
      fillWorldSegment(grid, ax, ay, bx, by, width, bits);
      continue;
    }
    const s0 = lane.s[i]!;
    const s1 = lane.s[j]!;
    if (s1 <= s0) continue;
    // painted intervals [k * period, k * period + on) intersected with [s0, s1)
    for (let k = Math.floor(s0 / DASH_PERIOD); k * DASH_PERIOD < s1; k++) {
      const from = Math.max(s0, k * DASH_PERIOD);
      const to = Math.min(s1, k * DASH_PERIOD + DASH_ON);
      if (to <= from) continue;
      const u0 = (from - s0) / (s1 - s0);
      const u1 = (to - s0) / (s1 - s0);
      fillWorldSegment(
        grid,
        ax + (bx - ax) * u0,
        ay + (by - ay) * u0,
        ax + (bx - ax) * u1,
        ay + (by - ay) * u1,
        width,
        bits,
      );
    }
  }
}

/** Zebra bars across a (4, 2) crosswalk polygon, alternating along its longer side. */
function paintStripes(grid: WorldGrid, polygon: Float32Array): void {
  const c = (i: number, k: number) => polygon[2 * i + k]!;
  const long01 = Math.hypot(c(1, 0) - c(0, 0), c(1, 1) - c(0, 1));
  const long12 = Math.hypot(c(2, 0) - c(1, 0), c(2, 1) - c(1, 1));
  // corners a, b along the long side, and d, e opposite them (a-d and b-e are the short sides)
  const [a, b, e, d] = long01 >= long12 ? [0, 1, 2, 3] : [1, 2, 3, 0];
  const length = Math.max(long01, long12);
  const bar = new Float64Array(8);
  for (let u = 0; u + STRIPE_WIDTH <= length + 1e-6; u += 2 * STRIPE_WIDTH) {
    const u0 = u / length;
    const u1 = (u + STRIPE_WIDTH) / length;
    const lerp = (i: number, j: number, t: number, k: number) => c(i, k) + (c(j, k) - c(i, k)) * t;
    bar.set([
      lerp(a, b, u0, 0),
      lerp(a, b, u0, 1),
      lerp(a, b, u1, 0),
      lerp(a, b, u1, 1),
      lerp(d, e, u1, 0),
      lerp(d, e, u1, 1),
      lerp(d, e, u0, 0),
      lerp(d, e, u0, 1),
    ]);
    fillWorldPolygon(grid, bar, Ground.stripe);
  }
}

/**
 * Paints the map into `grid`, every marking widened by `widen` metres (0 for the true picture). Drivable comes
 * from the lane ribbons and junction polygons, the sources of the map's drivable grid, at the grid's resolution.
 */
function paintMap(grid: WorldGrid, map: RoadMap, widen: number): WorldGrid {
  for (const lane of map.lanes) fillLaneArea(grid, lane, Ground.drivable);
  for (const junction of map.junctions) fillWorldPolygon(grid, junction.polygon, Ground.drivable);
  for (const crosswalk of map.crosswalks) {
    if (widen > 0)
      fillWorldPolygon(grid, crosswalk.polygon, Ground.crosswalk | Ground.stripe); // bars merge
    else {
      fillWorldPolygon(grid, crosswalk.polygon, Ground.crosswalk);
      paintStripes(grid, crosswalk.polygon);
    }
  }
  const line = LINE_WIDTH + widen;
  for (const lane of map.lanes) {
    if (lane.kind !== 'road') continue; // no paint through junctions
    if (lane.leftNeighbour >= 0) paintEdge(grid, lane, 1, true, line, Ground.whiteLine);
    else if (lane.oncoming >= 0) paintEdge(grid, lane, 1, false, line, Ground.yellowLine);
    else paintEdge(grid, lane, 1, false, line, Ground.whiteLine);
    if (lane.rightNeighbour < 0) paintEdge(grid, lane, -1, false, line, Ground.whiteLine); // else the neighbour's
  }
  for (const lane of map.lanes) {
    if (!lane.stopLine) continue;
    const [x0, y0, x1, y1] = lane.stopLine.segment;
    fillWorldSegment(grid, x0, y0, x1, y1, STOP_LINE_WIDTH + widen, Ground.stopLine);
  }
  return grid;
}

/** The extent of the textures: the map bounds and a small margin. */
function textureBox(map: RoadMap): Box {
  const [minX, minY, maxX, maxY] = map.bounds;
  return [minX - MARGIN, minY - MARGIN, maxX + MARGIN, maxY + MARGIN];
}

function fineResolution(box: Box): number {
  return Math.max(FINE_RESOLUTION, Math.sqrt(((box[2] - box[0]) * (box[3] - box[1])) / MAX_FINE_TEXELS));
}

function stopLinesOf(map: RoadMap): { stopLines: Float32Array; stopLineLight: Int32Array } {
  const signalised = map.lanes.filter((lane) => lane.stopLine && lane.stopLine.lightId >= 0);
  const stopLines = new Float32Array(4 * signalised.length);
  const stopLineLight = new Int32Array(signalised.length);
  signalised.forEach((lane, i) => {
    stopLines.set(lane.stopLine!.segment, 4 * i);
    stopLineLight[i] = lane.stopLine!.lightId;
  });
  return { stopLines, stopLineLight };
}

/** Each light faces against the mean travel direction of its lanes at their stop lines. */
function lightFacings(map: RoadMap): Float32Array {
  const facing = new Float32Array(2 * map.lights.length);
  map.lights.forEach((light, l) => {
    let dx = 0;
    let dy = 0;
    for (const id of light.laneIds) {
      const lane = map.lanes[id];
      if (!lane || lane.points.length < 4) continue;
      const s = lane.stopLine?.s ?? lane.length;
      let i = 0;
      while (i + 2 < lane.s.length && lane.s[i + 1]! < s) i++;
      const tx = lane.points[2 * i + 2]! - lane.points[2 * i]!;
      const ty = lane.points[2 * i + 3]! - lane.points[2 * i + 1]!;
      const len = Math.hypot(tx, ty) || 1;
      dx += tx / len;
      dy += ty / len;
    }
    const len = Math.hypot(dx, dy);
    if (len > 1e-6) {
      facing[2 * l] = -dx / len;
      facing[2 * l + 1] = -dy / len;
    }
  });
  return facing;
}
