// Savitzky-Golay smoothing and differentiation of evenly spaced samples (scipy's savgol_filter, mode 'interp').
// The comfort metrics' only numerical derivative; not a general signal-processing library.

/** Per window, degree and derivative: the coefficient rows by twice their position (positions are halves). */
const cache = new Map<string, (Float64Array | undefined)[]>();

/** The coefficient rows of one (window, poly, deriv), filled on first use (`coefficients`). */
function table(window: number, poly: number, deriv: number): (Float64Array | undefined)[] {
  const key = `${window}/${poly}/${deriv}`;
  let rows = cache.get(key);
  if (!rows) {
    rows = new Array(2 * window).fill(undefined);
    cache.set(key, rows);
  }
  return rows;
}

/**
 * Coefficients (window,): the `deriv`-th derivative at position `pos` (0 = the window's first sample, a whole
 * or half number) of the least-squares polynomial of degree `poly` through the window's samples, for unit
 * spacing; cached in `rows` (table()).
 */
function coefficients(
  rows: (Float64Array | undefined)[],
  window: number,
  poly: number,
  deriv: number,
  pos: number,
): Float64Array {
  const hit = rows[2 * pos];
  if (hit) return hit;
  const m = poly + 1;
  let factorial = 1;
  for (let k = 2; k <= deriv; k++) factorial *= k;
  // Normal equations (A^T A) c = A^T y with A[j][k] = (j - pos)^k; we need row `deriv` of (A^T A)^-1 A^T.
  const ata = new Float64Array(m * m);
  for (let j = 0; j < window; j++) {
    const z = j - pos;
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) ata[r * m + c] += z ** (r + c);
  }
  // Solve (A^T A) w = e_deriv; the coefficient row is then w^T A^T (A^T A is symmetric).
  const w = solve(ata, m, deriv);
  const row = new Float64Array(window);
  for (let j = 0; j < window; j++) {
    const z = j - pos;
    let sum = 0;
    for (let k = 0; k < m; k++) sum += w[k] * z ** k;
    row[j] = sum * factorial;
  }
  rows[2 * pos] = row;
  return row;
}

/** Solves the (m, m) system M w = e_unit by Gaussian elimination with partial pivoting. */
function solve(matrix: Float64Array, m: number, unit: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = new Float64Array(m);
  b[unit] = 1;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r * m + col]) > Math.abs(a[pivot * m + col])) pivot = r;
    for (let c = 0; c < m; c++) [a[col * m + c], a[pivot * m + c]] = [a[pivot * m + c], a[col * m + c]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = col + 1; r < m; r++) {
      const f = a[r * m + col] / a[col * m + col];
      for (let c = col; c < m; c++) a[r * m + c] -= f * a[col * m + c];
      b[r] -= f * b[col];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let sum = b[r];
    for (let c = r + 1; c < m; c++) sum -= a[r * m + c] * b[c];
    b[r] = sum / a[r * m + r];
  }
  return b;
}

/**
 * Writes the `deriv`-th derivative of the smoothed `y` (n samples, spacing `dt` [s]) into `out` (n,), as scipy's
 * `savgol_filter(mode='interp')` does: the window shrinks to n and the degree to window - 1 (scipy refuses
 * those; NAVSIM passes min(window, n)); the first and last floor(window / 2) samples are read off polynomials
 * fitted to the first and last windows. An even window (NAVSIM smooths accelerations over 8) is scipy's too:
 * sample t gets the fit over samples t - window/2 + 1 .. t + window/2 evaluated half a sample later, at t + 0.5.
 * A derivative of higher order than the fitted polynomial is zero.
 */
export function savgol(
  y: ArrayLike<number>,
  n: number,
  window: number,
  poly: number,
  deriv: number,
  dt: number,
  out: Float64Array,
): Float64Array {
  const w = Math.min(window, n);
  const p = Math.min(poly, w - 1);
  if (w < 1 || deriv > p) return out.fill(0, 0, n);
  const half = Math.floor(w / 2); // samples at each end read off the edge fits
  const lead = Math.floor((w - 1) / 2); // interior window starts this many samples before t
  const scale = 1 / dt ** deriv;
  const rows = table(w, p, deriv);
  for (let t = 0; t < n; t++) {
    let start: number;
    let pos: number;
    if (t < half) {
      start = 0;
      pos = t;
    } else if (t >= n - half) {
      start = n - w;
      pos = t - start;
    } else {
      start = t - lead;
      pos = (w - 1) / 2;
    }
    const row = coefficients(rows, w, p, deriv, pos);
    let sum = 0;
    for (let j = 0; j < w; j++) sum += row[j] * y[start + j];
    out[t] = sum * scale;
  }
  return out;
}
