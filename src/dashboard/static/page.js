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
