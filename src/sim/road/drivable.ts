// The drivable area as a raster: built once per map from lane ribbons and junction polygons, then an O(1)
// point test. Not lane membership (lane-graph.ts): a point between two lanes is drivable but in neither.

import type { DrivableGrid, Lane } from '../types.js';

export const DRIVABLE_RESOLUTION = 0.5; // [m] cell side

/** Whether (x, y) lies on the drivable area; outside the grid nothing is drivable. */
export function isDrivable(grid: DrivableGrid, x: number, y: number): boolean {
  const col = Math.floor((x - grid.originX) / grid.resolution);
  const row = Math.floor((y - grid.originY) / grid.resolution);
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return false;
  return grid.cells[row * grid.cols + col] === 1;
}

/** An empty grid covering bounds (minX, minY, maxX, maxY) [m]. */
export function emptyGrid(bounds: readonly [number, number, number, number]): DrivableGrid {
  const r = DRIVABLE_RESOLUTION;
  const originX = Math.floor(bounds[0] / r) * r;
  const originY = Math.floor(bounds[1] / r) * r;
  const cols = Math.ceil((bounds[2] - originX) / r) + 1;
  const rows = Math.ceil((bounds[3] - originY) / r) + 1;
  return { originX, originY, resolution: r, cols, rows, cells: new Uint8Array(cols * rows) };
}

/** Calls visit(index, x, y) for every cell whose centre lies in the box [x0, x1] x [y0, y1] [m]. */
function forCellsIn(
  grid: DrivableGrid,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  visit: (index: number, x: number, y: number) => void,
): void {
  const r = grid.resolution;
  const c0 = Math.max(0, Math.floor((x0 - grid.originX) / r));
  const c1 = Math.min(grid.cols - 1, Math.floor((x1 - grid.originX) / r));
  const r0 = Math.max(0, Math.floor((y0 - grid.originY) / r));
  const r1 = Math.min(grid.rows - 1, Math.floor((y1 - grid.originY) / r));
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      visit(row * grid.cols + col, grid.originX + (col + 0.5) * r, grid.originY + (row + 0.5) * r);
    }
  }
}

/** Marks the ribbon of a lane (centreline +- width / 2, square ends) drivable. */
export function paintLane(grid: DrivableGrid, lane: Lane): void {
  const p = lane.points;
  const half = lane.width / 2;
  const cells = grid.cells as Uint8Array;
  for (let i = 0; i + 1 < lane.s.length; i++) {
    const ax = p[2 * i];
    const ay = p[2 * i + 1];
    const dx = p[2 * i + 2] - ax;
    const dy = p[2 * i + 3] - ay;
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    const ux = dx / len;
    const uy = dy / len;
    const pad = half + grid.resolution;
    forCellsIn(
      grid,
      Math.min(ax, ax + dx) - pad,
      Math.min(ay, ay + dy) - pad,
      Math.max(ax, ax + dx) + pad,
      Math.max(ay, ay + dy) + pad,
      (index, x, y) => {
        const along = (x - ax) * ux + (y - ay) * uy;
        const across = -(x - ax) * uy + (y - ay) * ux;
        // Extend each segment by half a width so the joints of a bending lane leave no gaps.
        if (along >= -half && along <= len + half && Math.abs(across) <= half) cells[index] = 1;
      },
    );
  }
}

/** Marks the inside of a polygon ((N, 2) points) drivable. */
export function paintPolygon(grid: DrivableGrid, polygon: Float32Array): void {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < polygon.length; i += 2) {
    x0 = Math.min(x0, polygon[i]);
    x1 = Math.max(x1, polygon[i]);
    y0 = Math.min(y0, polygon[i + 1]);
    y1 = Math.max(y1, polygon[i + 1]);
  }
  const cells = grid.cells as Uint8Array;
  forCellsIn(grid, x0, y0, x1, y1, (index, x, y) => {
    if (insidePolygon(polygon, x, y)) cells[index] = 1;
  });
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(polygon: Float32Array, x: number, y: number): boolean {
  let inside = false;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i];
    const yi = polygon[2 * i + 1];
    const xj = polygon[2 * j];
    const yj = polygon[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
