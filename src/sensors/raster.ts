// Scanline primitives shared by the map textures, the camera, the BEV and the birdseye picture: even-odd polygon
// spans sampled at pixel centres, and RGB painting on top of them. Not a graphics library: no blending, no AA.

/** Receives a run of pixels [x0, x1) of one row. */
export type SpanSink = (row: number, x0: number, x1: number) => void;

let crossings = new Float64Array(16); // scratch: x of the edges crossing the current row

/**
 * Calls `sink(row, x0, x1)` for every run of pixels whose centres (i + 0.5, row + 0.5) lie inside the polygon
 * (even-odd rule), clipped to [0, width) x [0, height). Vertices are in pixel units, `n` of them.
 */
export function fillPolygon(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  width: number,
  height: number,
  sink: SpanSink,
): void {
  if (n < 3) return;
  if (crossings.length < n) crossings = new Float64Array(2 * n);
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const y = ys[i]!;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const row0 = Math.max(0, Math.ceil(minY - 0.5));
  const row1 = Math.min(height - 1, Math.floor(maxY - 0.5));
  for (let row = row0; row <= row1; row++) {
    const yc = row + 0.5;
    let k = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const y0 = ys[j]!;
      const y1 = ys[i]!;
      if (y0 <= yc !== y1 <= yc) {
        const x0 = xs[j]!;
        crossings[k++] = x0 + ((yc - y0) * (xs[i]! - x0)) / (y1 - y0);
      }
    }
    for (let i = 1; i < k; i++) {
      const c = crossings[i]!;
      let j = i - 1;
      while (j >= 0 && crossings[j]! > c) {
        crossings[j + 1] = crossings[j]!;
        j--;
      }
      crossings[j + 1] = c;
    }
    for (let i = 0; i + 1 < k; i += 2) {
      const x0 = Math.max(0, Math.ceil(crossings[i]! - 0.5));
      const x1 = Math.min(width, Math.ceil(crossings[i + 1]! - 0.5));
      if (x1 > x0) sink(row, x0, x1);
    }
  }
}

const quadX = new Float64Array(4);
const quadY = new Float64Array(4);

/** The segment (x0, y0)-(x1, y1) as a rectangle `thickness` wide, extended by `extend` at both ends. */
export function fillSegment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  thickness: number,
  extend: number,
  width: number,
  height: number,
  sink: SpanSink,
): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  const tx = len > 0 ? (x1 - x0) / len : 1;
  const ty = len > 0 ? (y1 - y0) / len : 0;
  const nx = (-ty * thickness) / 2;
  const ny = (tx * thickness) / 2;
  const ax = x0 - tx * extend;
  const ay = y0 - ty * extend;
  const bx = x1 + tx * extend;
  const by = y1 + ty * extend;
  quadX[0] = ax + nx;
  quadY[0] = ay + ny;
  quadX[1] = bx + nx;
  quadY[1] = by + ny;
  quadX[2] = bx - nx;
  quadY[2] = by - ny;
  quadX[3] = ax - nx;
  quadY[3] = ay - ny;
  fillPolygon(quadX, quadY, 4, width, height, sink);
}

// ---------------------------------------------------------------------------------------------------------
// RGB painting: (H, W, 3) row-major images

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array; // (H, W, 3)
}

// The span sink's target, set before each fill so that no closure is allocated per call.
let paintRgb: Uint8Array = new Uint8Array(0);
let paintWidth = 0;
let paintR = 0;
let paintG = 0;
let paintB = 0;
let painted = 0; // pixels written since the last setPaint

function paintSpan(row: number, x0: number, x1: number): void {
  const rgb = paintRgb;
  for (let i = (row * paintWidth + x0) * 3, end = (row * paintWidth + x1) * 3; i < end; i += 3) {
    rgb[i] = paintR;
    rgb[i + 1] = paintG;
    rgb[i + 2] = paintB;
  }
  painted += x1 - x0;
}

function setPaint(image: RgbImage, r: number, g: number, b: number): void {
  paintRgb = image.rgb;
  paintWidth = image.width;
  paintR = r;
  paintG = g;
  paintB = b;
  painted = 0;
}

/** Paints a polygon given in pixel units; returns the number of pixels written. */
export function paintPolygon(
  image: RgbImage,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  r: number,
  g: number,
  b: number,
): number {
  setPaint(image, r, g, b);
  fillPolygon(xs, ys, n, image.width, image.height, paintSpan);
  return painted;
}

/** Paints a line `thickness` pixels wide with square-ish ends; returns the number of pixels written. */
export function paintLine(
  image: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  thickness: number,
  r: number,
  g: number,
  b: number,
): number {
  setPaint(image, r, g, b);
  fillSegment(x0, y0, x1, y1, thickness, thickness / 2, image.width, image.height, paintSpan);
  return painted;
}

/** Paints the axis-aligned pixel rectangle [x0, x1) x [y0, y1), clipped to the image. */
export function paintRect(
  image: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
  g: number,
  b: number,
): void {
  setPaint(image, r, g, b);
  const c0 = Math.max(0, x0);
  const c1 = Math.min(image.width, x1);
  if (c1 <= c0) return;
  for (let row = Math.max(0, y0), end = Math.min(image.height, y1); row < end; row++) paintSpan(row, c0, c1);
}

/** Paints a disc of `radius` pixels centred at (x, y). */
export function paintDisc(
  image: RgbImage,
  x: number,
  y: number,
  radius: number,
  r: number,
  g: number,
  b: number,
): void {
  setPaint(image, r, g, b);
  const row0 = Math.max(0, Math.ceil(y - radius - 0.5));
  const row1 = Math.min(image.height - 1, Math.floor(y + radius - 0.5));
  for (let row = row0; row <= row1; row++) {
    const dy = row + 0.5 - y;
    const half = Math.sqrt(Math.max(0, radius * radius - dy * dy));
    const c0 = Math.max(0, Math.ceil(x - half - 0.5));
    const c1 = Math.min(image.width, Math.ceil(x + half - 0.5));
    if (c1 > c0) paintSpan(row, c0, c1);
  }
}
