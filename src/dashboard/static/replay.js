// The episode replay: draws an episode record on a canvas (roads, lanes, crosswalks, lights by state, agents, ego's
// driven path, the plan of the shown decision), with play, pause, step and a time slider; beside it the decision's
// camera, BEV, chain of thought, tokens, latency and fallback; below, the sub-metrics over time with failures marked.
// Not the record's format (src/eval/episode-record.ts) nor the rest of the page (page.js).

import { escapeHtml } from './charts.js';

const BACKGROUND = '#24331f'; // grass; the test counts pixels that differ from it
const ASPHALT = '#55565c';
const LIGHT_COLOURS = ['#2ecc40', '#ffdc00', '#ff3b30']; // LightColour: green, yellow, red
const KIND_COLOURS = ['#e63c32', '#f0a028', '#d634c4', '#14bebe', '#b0b0b0']; // AgentKind: ego, vehicle, ped, cyclist, obstacle
const PEDESTRIAN = 2; // AgentKind.pedestrian
const MARGIN = 25; // [m] around ego's driven path in the view
const STATES_PER_SECOND = 10; // playback at real time (DT = 0.1 s)

/** The colour of light `l` at state t: its last change at or before t. */
function lightAt(light, t) {
  let colour = light.changes[0]?.[1] ?? 0;
  for (const [step, c] of light.changes) {
    if (step > t) break;
    colour = c;
  }
  return colour;
}

/** The decision shown at state t: the last one made at or before it, or null. */
function decisionAt(record, t) {
  let shown = null;
  for (const d of record.decisions) if (d.step <= t) shown = d;
  return shown;
}

export class Replay {
  /** `el`: the container; `frames` ({ camera, bev }: base64 PNGs per decision) and `latencyMs` may be null. */
  constructor(el, record, frames, latencyMs) {
    this.record = record;
    this.frames = frames;
    this.latencyMs = latencyMs;
    this.t = 0;
    this.timer = null;
    el.innerHTML = `
      <div class="replay">
        <div>
          <canvas id="replay-canvas" width="720" height="480"></canvas>
          <div class="controls">
            <button id="play">play</button>
            <button id="prev" title="previous decision">&laquo;</button>
            <button id="back" title="one step back">&lsaquo;</button>
            <button id="fwd" title="one step on">&rsaquo;</button>
            <button id="next" title="next decision">&raquo;</button>
            <input id="time" type="range" min="0" max="${record.steps}" value="0" step="1">
            <span id="clock"></span>
          </div>
        </div>
        <div class="decision">
          <p id="decision-head"></p>
          <img id="camera" alt="camera at the decision" width="256" height="128">
          <img id="bev" alt="BEV raster at the decision" width="128" height="128">
          <h4>Chain of thought</h4><pre id="cot"></pre>
          <h4>Action tokens</h4><pre id="tokens"></pre>
          <p id="latency"></p><p id="fallback"></p>
        </div>
      </div>
      <h3>Sub-metrics over time</h3><div id="metrics-chart"></div>`;
    this.canvas = el.querySelector('#replay-canvas');
    this.slider = el.querySelector('#time');
    this.view = this.fitView();
    this.slider.addEventListener('input', () => this.show(Number(this.slider.value)));
    el.querySelector('#play').addEventListener('click', () => this.toggle());
    el.querySelector('#back').addEventListener('click', () => this.show(this.t - 1));
    el.querySelector('#fwd').addEventListener('click', () => this.show(this.t + 1));
    el.querySelector('#prev').addEventListener('click', () => this.jump(-1));
    el.querySelector('#next').addEventListener('click', () => this.jump(1));
    el.querySelector('#metrics-chart').innerHTML = this.metricsChart();
  }

  /** World window [m] around ego's driven path and every pedestrian's walk (a jaywalker), with the canvas's aspect. */
  fitView() {
    const shown = this.record.agents.filter((a, i) => i === 0 || a.kind === PEDESTRIAN);
    const xs = shown.flatMap((a) => a.x.filter((v) => v !== null));
    const ys = shown.flatMap((a) => a.y.filter((v) => v !== null));
    let [x0, x1] = [Math.min(...xs) - MARGIN, Math.max(...xs) + MARGIN];
    let [y0, y1] = [Math.min(...ys) - MARGIN, Math.max(...ys) + MARGIN];
    const aspect = this.canvas.width / this.canvas.height;
    if ((x1 - x0) / (y1 - y0) < aspect) {
      const grow = ((y1 - y0) * aspect - (x1 - x0)) / 2;
      [x0, x1] = [x0 - grow, x1 + grow];
    } else {
      const grow = ((x1 - x0) / aspect - (y1 - y0)) / 2;
      [y0, y1] = [y0 - grow, y1 + grow];
    }
    return { x0, y0, scale: this.canvas.width / (x1 - x0) }; // [px/m]
  }

  toggle() {
    const button = document.getElementById('play');
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      button.textContent = 'play';
      return;
    }
    if (this.t >= this.record.steps) this.show(0);
    button.textContent = 'pause';
    this.timer = setInterval(() => {
      if (this.t >= this.record.steps) this.toggle();
      else this.show(this.t + 1);
    }, 1000 / STATES_PER_SECOND);
  }

  /** To the previous (-1) or next (+1) decision. */
  jump(direction) {
    const steps = this.record.decisions.map((d) => d.step);
    const target = direction > 0 ? steps.find((s) => s > this.t) : steps.filter((s) => s < this.t).at(-1);
    if (target !== undefined) this.show(target);
  }

  /** Shows state t: the canvas, the decision panel and the cursor on the metrics. */
  show(t) {
    this.t = Math.max(0, Math.min(this.record.steps, t));
    this.slider.value = String(this.t);
    document.getElementById('clock').textContent = `t = ${(this.t * this.record.dt).toFixed(1)} s`;
    this.draw();
    this.showDecision(decisionAt(this.record, this.t));
    const cursor = document.getElementById('metrics-cursor');
    if (cursor) {
      const x = this.metricX(this.t);
      cursor.setAttribute('x1', x);
      cursor.setAttribute('x2', x);
    }
  }

  draw() {
    const { record, t } = this;
    const ctx = this.canvas.getContext('2d');
    const { x0, y0, scale } = this.view;
    const H = this.canvas.height;
    const px = (x, y) => [(x - x0) * scale, H - (y - y0) * scale]; // y up in the world, down on the canvas
    const path = (flat, close) => {
      ctx.beginPath();
      for (let i = 0; i < flat.length; i += 2)
        ctx[i === 0 ? 'moveTo' : 'lineTo'](...px(flat[i], flat[i + 1]));
      if (close) ctx.closePath();
    };
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, H);
    ctx.fillStyle = ASPHALT;
    for (const j of record.map.junctions) {
      path(j, true);
      ctx.fill();
    }
    ctx.lineCap = 'round';
    ctx.strokeStyle = ASPHALT;
    for (const lane of record.map.lanes) {
      ctx.lineWidth = lane.width * scale;
      path(lane.points, false);
      ctx.stroke();
    }
    ctx.setLineDash([6, 8]);
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(255,255,255,0.35)';
    for (const lane of record.map.lanes) {
      path(lane.points, false);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = 'rgba(255,255,255,0.25)';
    for (const c of record.map.crosswalks) {
      path(c, true);
      ctx.fill();
    }
    for (const light of record.map.lights) {
      const colour = LIGHT_COLOURS[lightAt(light, t)];
      ctx.strokeStyle = colour;
      ctx.lineWidth = Math.max(2, 0.6 * scale);
      for (const s of light.stopLines) {
        path(s, false);
        ctx.stroke();
      }
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(...px(...light.position), Math.max(3, 0.8 * scale), 0, 2 * Math.PI);
      ctx.fill();
    }
    const ego = record.agents[0];
    const driven = [];
    for (let s = 0; s <= t; s++) if (ego.x[s] !== null) driven.push(ego.x[s], ego.y[s]);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    path(driven, false);
    ctx.stroke();
    record.agents.forEach((a, i) => {
      if (a.x[t] === null) return;
      const [cx, cy] = px(a.x[t], a.y[t]);
      ctx.save();
      ctx.translate(cx, cy);
      ctx.rotate(-a.heading[t]);
      ctx.fillStyle = KIND_COLOURS[a.kind] ?? '#fff';
      ctx.fillRect((-a.length / 2) * scale, (-a.width / 2) * scale, a.length * scale, a.width * scale);
      if (i === 0) {
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1.5;
        ctx.strokeRect((-a.length / 2) * scale, (-a.width / 2) * scale, a.length * scale, a.width * scale);
      }
      ctx.restore();
    });
    const decision = decisionAt(record, t);
    if (decision && decision.plan.length > 0) {
      ctx.strokeStyle = '#00e5ff';
      ctx.fillStyle = '#00e5ff';
      ctx.lineWidth = 2;
      const from = [ego.x[decision.step], ego.y[decision.step]];
      path([...from, ...decision.plan], false);
      ctx.stroke();
      for (let i = 0; i < decision.plan.length; i += 2) {
        ctx.beginPath();
        ctx.arc(...px(decision.plan[i], decision.plan[i + 1]), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }

  showDecision(d) {
    const set = (id, text) => {
      document.getElementById(id).textContent = text;
    };
    const camera = document.getElementById('camera');
    const bev = document.getElementById('bev');
    if (!d) {
      set('decision-head', 'no decision yet at this time');
      for (const id of ['cot', 'tokens', 'latency', 'fallback']) set(id, '');
      camera.removeAttribute('src');
      bev.removeAttribute('src');
      return;
    }
    const k = this.record.decisions.indexOf(d);
    set(
      'decision-head',
      `decision ${k + 1}/${this.record.decisions.length} at ${d.t.toFixed(1)} s, mode ${d.mode ?? '-'}`,
    );
    const png = (b64) => (b64 ? `data:image/png;base64,${b64}` : '');
    camera.src = png(this.frames?.camera[k]);
    bev.src = png(this.frames?.bev[k]);
    set('cot', d.cot || (d.mode === 'fast' ? '(fast mode: no reasoning)' : '(none)'));
    set('tokens', d.tokens.length > 0 ? d.tokens.join(' ') : '(this driver has no action tokens)');
    const latency = this.latencyMs?.[k];
    set('latency', latency === undefined ? 'latency: not recorded' : `latency: ${latency.toFixed(1)} ms`);
    set('fallback', `fallback: ${d.fallback ?? 'none'}`);
  }

  metricX(t) {
    return 60 + (t * 640) / Math.max(1, this.record.steps);
  }

  /** One row per sub-metric: its value over time (1 up, 0 down; EP scaled to its largest step), failures in red. */
  metricsChart() {
    const rowH = 22; // [px]
    const names = Object.keys(this.record.metrics);
    const rows = names.map((name, i) => {
      const m = this.record.metrics[name];
      const top = 4 + i * rowH;
      const known = m.values.filter((v) => v !== null);
      const scale = Math.max(1, ...known);
      let points = '';
      m.values.forEach((v, t) => {
        if (v !== null)
          points += `${this.metricX(t).toFixed(1)},${(top + (rowH - 6) * (1 - v / scale)).toFixed(1)} `;
      });
      const failed =
        m.failedAt === null
          ? ''
          : `<line class="failure" data-metric="${name}" x1="${this.metricX(m.failedAt)}" y1="${top - 2}" ` +
            `x2="${this.metricX(m.failedAt)}" y2="${top + rowH - 4}" stroke="#e00" stroke-width="3"/>`;
      const label = `${name} ${m.valid ? m.value.toFixed(2) : '-'}`;
      return (
        `<text x="0" y="${top + 12}" font-size="11">${escapeHtml(label)}</text>` +
        `<polyline fill="none" stroke="#36c" points="${points}"/>${failed}`
      );
    });
    const h = names.length * rowH + 8;
    return (
      `<svg class="chart" width="720" height="${h}" role="img">${rows.join('')}` +
      `<line id="metrics-cursor" x1="60" y1="0" x2="60" y2="${h}" stroke="#888" stroke-dasharray="3 3"/></svg>`
    );
  }
}
