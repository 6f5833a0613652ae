// The dashboard page's script: fetches the run's index and files and fills the tables; a file not written yet
// is said to be missing, never an error. Not the server (server.ts).

const get = async (path) => {
  const r = await fetch(path);
  return r.ok ? r.json() : null;
};

function fill(table, head, rows) {
  const el = document.getElementById(table);
  const tr = (cells, tag) =>
    `<tr>${cells.map((c) => `<${tag}>${escapeHtml(String(c))}</${tag}>`).join('')}</tr>`;
  el.innerHTML = tr(head, 'th') + rows.map((r) => tr(r, 'td')).join('');
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

const index = await get('/api/index');
document.getElementById('run').textContent = index.run;
document.getElementById('missing').innerHTML = index.missing
  .map((m) => `<p>missing: ${escapeHtml(m.file)} (written by ${escapeHtml(m.writer)})</p>`)
  .join('');
document.getElementById('models').innerHTML = index.models.map((m) => `<li>${escapeHtml(m)}</li>`).join('');
const steps = await get('/run/steps.json');
const times = await get('/run/times.json');
fill(
  'steps',
  ['step', 'seconds'],
  (steps?.steps ?? []).map((s) => [s.name, times?.steps?.[s.name]?.seconds ?? '-']),
);
const report = await get('/run/report.json');
fill(
  'closed',
  ['model', 'stage', 'mode', 'suite', 'episodes', 'EPDMS', 'PDMS', 'at-fault collisions'],
  (report?.closedLoop ?? []).map((c) => [
    c.model,
    c.stage,
    c.mode,
    c.suite,
    c.episodes,
    c.epdms.toFixed(3),
    c.pdms.toFixed(3),
    c.atFaultCollisions,
  ]),
);

/** One SVG line chart per model: each stage's loss before and after, stage after stage, on the same axis. */
function lossChart(rows) {
  const W = 480; // [px]
  const H = 160; // [px]
  const pad = 30; // [px]
  const values = rows.flatMap((r) => [r.lossBefore, r.lossAfter]);
  const top = Math.max(...values, 1e-9);
  const x = (i) => pad + (i * (W - 2 * pad)) / Math.max(1, values.length - 1);
  const y = (v) => H - pad + (-(H - 2 * pad) * v) / top;
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const labels = rows
    .map((r, k) => `<text x="${x(2 * k)}" y="${H - 8}" font-size="10">${escapeHtml(r.stage)}</text>`)
    .join('');
  return (
    `<svg width="${W}" height="${H}" role="img"><polyline fill="none" stroke="#36c" stroke-width="2" ` +
    `points="${points}"/><text x="2" y="${pad}" font-size="10">${top.toFixed(2)}</text>${labels}</svg>`
  );
}

const byModel = Object.groupBy(report?.stages ?? [], (s) => s.model);
document.getElementById('losses').innerHTML = Object.entries(byModel)
  .map(([model, rows]) => `<h3>${escapeHtml(model)}</h3>${lossChart(rows)}`)
  .join('');
