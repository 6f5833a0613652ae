// The dashboard page's script: fetches the run's index and files and fills the sections (steps, models, rounds,
// curves, scores, replay, lake); a file not written yet is said to be missing, never an error. Not the server
// (server.ts), the charts (charts.js) nor the replay (replay.js).

import { escapeHtml, intervalChart, lineChart } from './charts.js';
import { Replay } from './replay.js';

const get = async (path) => {
  try {
    const r = await fetch(path);
    return r.ok ? r.json() : null;
  } catch {
    return null;
  }
};

/** The URL prefix of a root's files: the run's own ('') or a round's (round-K). */
const rootUrl = (root) => (root ? `/run/${root}/` : '/run/');
const rootName = (root) => root || 'run';

function fill(table, head, rows) {
  const el = document.getElementById(table);
  const tr = (cells, tag) => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  el.innerHTML = tr(head, 'th') + rows.map((r) => tr(r, 'td')).join('');
}

const index = await get('/api/index');
const roots = [{ round: '', ...index }, ...index.rounds];
document.getElementById('run').textContent = index.run;
document.getElementById('missing').innerHTML = roots
  .flatMap((r) =>
    r.missing.map(
      (m) =>
        `<p class="missing">${escapeHtml(rootName(r.round))}: missing ${escapeHtml(m.file)} (written by ${escapeHtml(m.writer)})</p>`,
    ),
  )
  .join('');
document.getElementById('models').innerHTML = roots
  .flatMap((r) => r.models.map((m) => `<li>${escapeHtml(r.round ? `${r.round}: ${m}` : m)}</li>`))
  .join('');

const steps = await get('/run/steps.json');
const times = await get('/run/times.json');
const running = steps?.running?.name;
fill(
  'steps',
  ['step', 'seconds', 'state'],
  [
    ...(steps?.steps ?? []).map((s) => [s.name, times?.steps?.[s.name]?.seconds ?? '-', 'done']),
    ...(running ? [[running, '-', 'running (or killed)']] : []),
  ],
);

const summary = await get('/run/summary.json');
const onPolicy = summary?.onPolicy ?? [];
document.getElementById('rounds').innerHTML =
  (index.rounds.length > 0
    ? `<p>round folders: ${index.rounds.map((r) => escapeHtml(r.round)).join(', ')}</p>`
    : '<p class="missing">no round-K/ folders in this run (the flywheel writes them)</p>') +
  (onPolicy.length > 0
    ? `<p>on-policy rounds of drivefm run: ${onPolicy
        .map(
          (r) => `${escapeHtml(r.model)} after ${escapeHtml(r.after)}: ${r.clips} clips, ${r.frames} frames`,
        )
        .join('; ')}</p>`
    : '<p class="missing">no on-policy round recorded yet (summary.json)</p>');

/** Per root, one chart per model: each stage's per-step loss (curves/), else its loss before and after. */
async function curves(root) {
  const report = await get(`${rootUrl(root.round)}report.json`);
  const byModel = {};
  for (const name of root.curves) {
    const [model, stage] = name.split('/');
    const curve = await get(`${rootUrl(root.round)}curves/${name}.json`);
    if (!curve) continue;
    byModel[model] ??= { loss: [], reward: [] };
    byModel[model].loss.push({ label: stage, values: curve.losses });
    if (curve.rewards) byModel[model].reward.push({ label: stage, values: curve.rewards });
  }
  let html = '';
  for (const [model, c] of Object.entries(byModel)) {
    html += `<h4>${escapeHtml(rootName(root.round))}: ${escapeHtml(model)}, training loss per step</h4>${lineChart(c.loss)}`;
    if (c.reward.length > 0) html += `<h4>${escapeHtml(model)}: reward per step</h4>${lineChart(c.reward)}`;
  }
  if (html === '' && report) {
    const byStage = Object.groupBy(report.stages ?? [], (s) => s.model);
    for (const [model, rows] of Object.entries(byStage)) {
      const segments = rows.map((r) => ({ label: r.stage, values: [r.lossBefore, r.lossAfter] }));
      html += `<h4>${escapeHtml(model)}: loss before and after each stage (no per-step curves in this run)</h4>${lineChart(segments)}`;
    }
  }
  return html || `<p class="missing">${escapeHtml(rootName(root.round))}: no training curves yet</p>`;
}
const curveHtml = [];
for (const root of roots) curveHtml.push(await curves(root));
curveHtml.push(
  '<p>Reward curves: <code>drivefm run</code> has no RL stage, so its curves/ hold losses only; a curve file with a <code>rewards</code> array is charted too.</p>',
);
document.getElementById('losses').innerHTML = curveHtml.join('');

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

const scores = (await get('/api/scores')) ?? [];
document.getElementById('scores').innerHTML =
  scores.length === 0
    ? '<p class="missing">no episode records yet: scores with intervals appear as closed-loop steps finish</p>'
    : intervalChart(
        scores.map((s) => ({
          label: `${rootName(s.root)} ${s.eval} (${s.episodes} ep.)`,
          ...s.epdms,
        })),
      ) +
      `<table>${scores
        .map(
          (s) =>
            `<tr><td>${escapeHtml(rootName(s.root))}</td><td>${escapeHtml(s.eval)}</td><td>${s.episodes} episodes</td>` +
            `<td>EPDMS ${s.epdms.estimate.toFixed(3)} [${s.epdms.lo.toFixed(3)}, ${s.epdms.hi.toFixed(3)}]</td>` +
            `<td>PDMS ${s.pdms.estimate.toFixed(3)} [${s.pdms.lo.toFixed(3)}, ${s.pdms.hi.toFixed(3)}]</td></tr>`,
        )
        .join('')}</table>`;

// The replay: every recorded episode of every root; the URL's #episode=root|eval|id&step=N opens one.
const select = document.getElementById('episode');
const options = roots.flatMap((r) =>
  r.episodes.flatMap((e) =>
    e.ids.map((id) => ({ key: `${r.round}|${e.eval}|${id}`, root: r.round, eval: e.eval, id })),
  ),
);
select.innerHTML =
  '<option value="">(choose)</option>' +
  options
    .map(
      (o) =>
        `<option value="${escapeHtml(o.key)}">${escapeHtml(`${rootName(o.root)} / ${o.eval} / ${o.id}`)}</option>`,
    )
    .join('');

async function openEpisode(key, step = 0) {
  const o = options.find((x) => x.key === key);
  if (!o) return;
  const base = `${rootUrl(o.root)}episodes/${o.eval}/`;
  const record = await get(`${base}${o.id}.json`);
  const el = document.getElementById('replay');
  if (!record) {
    el.innerHTML = `<p class="missing">${escapeHtml(o.id)}: the record is missing or being written</p>`;
    return;
  }
  const frames = await get(`${base}${record.frames}`); // null while it is missing: the images stay empty
  const times = await get(`${rootUrl(o.root)}episode-times/${o.eval}/${o.id}.json`);
  select.value = key;
  window.replay = new Replay(el, record, frames, times?.latencyMs ?? null);
  window.replay.show(step);
}
select.addEventListener('change', () => openEpisode(select.value));
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.has('episode')) await openEpisode(hash.get('episode'), Number(hash.get('step') ?? 0));

// The lake browser: counts by table and by column value (DuckDB in the server).
const lake = await fetch('/api/lake').then((r) => r.json().then((body) => ({ ok: r.ok, body })));
const lakeEl = document.getElementById('lake');
if (!lake.ok)
  lakeEl.innerHTML = `<p class="missing">lake not readable yet: ${escapeHtml(lake.body.error)}</p>`;
else if (lake.body === null) lakeEl.innerHTML = '<p class="missing">no lake in this run yet</p>';
else {
  const group = (g) =>
    `<table><tr><th>${escapeHtml(g.table)} by ${escapeHtml(g.by)}</th><th>rows</th></tr>${g.counts
      .map((c) => `<tr><td>${escapeHtml(c.value)}</td><td>${c.count}</td></tr>`)
      .join('')}</table>`;
  lakeEl.innerHTML =
    `<div class="lake-groups">${[lake.body.tables, ...lake.body.groups].map(group).join('')}</div>` +
    '<p>Triggers and rounds are not columns of the lake (schema v2): on-policy clips show as source on-policy.</p>';
}
document.body.dataset.ready = 'true';
