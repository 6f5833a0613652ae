// Savitzky-Golay smoothing and differentiation of evenly spaced samples (scipy's savgol_filter, mode 'interp').
// The comfort metrics' only numerical derivative; not a general signal-processing library.

const cache = new Map<string, Float64Array[]>();

/**
 * Coefficients (window, window): row p gives the `deriv`-th derivative at window position p of the least-squares
 * polynomial of degree `poly` through the window's samples, for unit spacing. Rows other than the centre are used
 * at the series' ends, as scipy's mode 'interp' fits the first and last windows.
 */
function coefficients(window: number, poly: number, deriv: number): Float64Array[] {
  const key = `${window}/${poly}/${deriv}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const m = poly + 1;
  const rows: Float64Array[] = [];
  let factorial = 1;
  for (let k = 2; k <= deriv; k++) factorial *= k;
  for (let p = 0; p < window; p++) {
    // Normal equations (A^T A) c = A^T y with A[j][k] = (j - p)^k; we need row `deriv` of (A^T A)^-1 A^T.
    const ata = new Float64Array(m * m);
    for (let j = 0; j < window; j++) {
      const z = j - p;
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) ata[r * m + c] += z ** (r + c);
    }
    // Solve (A^T A) w = e_deriv; the coefficient row is then w^T A^T (A^T A is symmetric).
    const w = solve(ata, m, deriv);
    const row = new Float64Array(window);
    for (let j = 0; j < window; j++) {
      const z = j - p;
      let sum = 0;
      for (let k = 0; k < m; k++) sum += w[k] * z ** k;
      row[j] = sum * factorial;
    }
    rows.push(row);
  }
  cache.set(key, rows);
  return rows;
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
 * Writes the `deriv`-th derivative of the smoothed `y` (n samples, spacing `dt` [s]) into `out` (n,).
 * The window shrinks to the largest odd length <= n and the degree to window - 1; a derivative of higher order
 * than the fitted polynomial is zero.
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
  let w = Math.min(window, n);
  if (w % 2 === 0) w -= 1;
  const p = Math.min(poly, w - 1);
  if (w < 1 || deriv > p) return out.fill(0, 0, n);
  const rows = coefficients(w, p, deriv);
  const half = (w - 1) / 2;
  const scale = 1 / dt ** deriv;
  for (let t = 0; t < n; t++) {
    const start = t < half ? 0 : t > n - 1 - half ? n - w : t - half;
    const row = rows[t - start];
    let sum = 0;
    for (let j = 0; j < w; j++) sum += row[j] * y[start + j];
    out[t] = sum * scale;
  }
  return out;
}
