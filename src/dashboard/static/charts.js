// SVG charts for the dashboard page, as strings: line charts with labelled segments, and estimates with their
// intervals. Plain functions, no state; not the replay (replay.js) nor what is charted (page.js).

export function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

const W = 520; // [px] chart width
const H = 170; // [px] chart height
const PAD = 32; // [px] margin for the axis labels

/**
 * One line chart over segments laid end to end (a model's stages, step after step): each segment { label, values }
 * is drawn in its own colour, its label under its start.
 */
export function lineChart(segments, { unit = '' } = {}) {
  const all = segments.flatMap((s) => s.values);
  if (all.length === 0) return '<p class="missing">nothing to chart yet</p>';
  const lo = Math.min(...all, 0);
  const hi = Math.max(...all, lo + 1e-9);
  const x = (i) => PAD + (i * (W - 2 * PAD)) / Math.max(1, all.length - 1);
  const y = (v) => H - PAD - ((H - 2 * PAD) * (v - lo)) / (hi - lo);
  let start = 0;
  const parts = segments.map((s, k) => {
    const points = s.values.map((v, i) => `${x(start + i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const label = `<text x="${x(start).toFixed(1)}" y="${H - 6 - 10 * (k % 2)}" font-size="10">${escapeHtml(s.label)}</text>`;
    start += s.values.length;
    return `<polyline fill="none" stroke="${colour(k)}" stroke-width="1.5" points="${points}"/>${label}`;
  });
  return (
    `<svg class="chart" width="${W}" height="${H}" role="img">` +
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#999"/>` +
    `<text x="2" y="${PAD}" font-size="10">${hi.toFixed(2)}${escapeHtml(unit)}</text>` +
    `<text x="2" y="${H - PAD}" font-size="10">${lo.toFixed(2)}</text>${parts.join('')}</svg>`
  );
}

/** Estimates with 95% intervals, one row each ({ label, estimate, lo, hi }), on a shared 0..1 axis. */
export function intervalChart(rows) {
  const rowH = 18; // [px]
  const left = 230; // [px] for the labels
  const width = 300; // [px] of the 0..1 axis
  const x = (v) => left + width * Math.max(0, Math.min(1, v));
  const body = rows
    .map((r, i) => {
      const cy = 14 + i * rowH;
      return (
        `<text x="0" y="${cy + 4}" font-size="11">${escapeHtml(r.label)}</text>` +
        `<line x1="${x(r.lo)}" y1="${cy}" x2="${x(r.hi)}" y2="${cy}" stroke="#36c" stroke-width="2"/>` +
        `<circle cx="${x(r.estimate)}" cy="${cy}" r="3.5" fill="#124"/>`
      );
    })
    .join('');
  const h = 24 + rows.length * rowH;
  const ticks = [0, 0.5, 1]
    .map((t) => `<text x="${x(t) - 6}" y="${h - 2}" font-size="10">${t}</text>`)
    .join('');
  return `<svg class="chart" width="${left + width + 20}" height="${h}" role="img">${body}${ticks}</svg>`;
}

export function colour(k) {
  return ['#36c', '#c63', '#393', '#939', '#c93', '#399', '#933', '#669'][k % 8];
}
