// TTC, time to collision within bound (NAVSIM v1/v2 `_calculate_ttc` in pdm_scorer.py, after nuPlan's metric):
// fails at a state if ego, moved on at constant velocity, meets a relevant agent within 0.9 s. Not NC.

import { bearingOff, boundsApart, boxesOverlap, emptyBounds, motionHeading, widenBounds } from './boxes.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** Projection steps [states at 0.1 s]: NAVSIM's future_time_idcs = arange(0, 10, 3). */
export const TTC_STEPS = [0, 3, 6, 9] as const;
/** Below this speed ego is stopped and TTC is not judged (NAVSIM stopped_speed_threshold, strict <). */
export const TTC_STOPPED_SPEED = 0.005; // [m/s]
const AHEAD = (30 * Math.PI) / 180; // [rad] nuPlan is_agent_ahead: strictly within this of ego's heading
const BEHIND = (150 * Math.PI) / 180; // [rad] nuPlan is_agent_behind: strictly more than this off it

/**
 * TTC per state t, as NAVSIM checks one state of a proposal: for k in TTC_STEPS, ego's box at t moved k x 0.1 s
 * at its speed along its direction of motion against every agent's logged box at t + k (the world's real
 * future; past the log's end the agent's last state moved on at constant velocity, a deliberate fallback).
 * An overlap fails TTC(t) when the agent (its centre at t + k) is relevant: strictly within 30 deg of ego's
 * direction measured from the rear axle, or not more than 150 deg off it while ego is in multiple lanes, off
 * the drivable area, or has its rear axle in a junction polygon. A non-relevant overlap puts the agent on an
 * ignore list for the rest of the horizon (the later k of state t; every state is its own frame, as if NAVSIM
 * scored a frame at every state). Invalid where |ego speed| < 0.005 m/s. Episode TTC is the minimum.
 */
export function ttcSeries(ctx: EpisodeContext): StepSeries {
  const { log, n } = ctx;
  const series = passingSeries(n);
  const egoRadius = Math.hypot(ctx.halfLength, ctx.halfWidth);
  const ignored = new Uint8Array(log.agents);
  const reach = new Float64Array(log.agents); // [m] centre distance beyond which ego's and the agent's boxes are apart
  for (let a = 1; a < log.agents; a++) reach[a] = egoRadius + Math.hypot(log.length[a] / 2, log.width[a] / 2);
  const K = TTC_STEPS.length;
  const ego = projections(ctx); // (n, K, 2)
  const far = farAgents(ctx, ego, reach);
  for (let t = 0; t < n; t++) {
    const v = ctx.speed[t];
    if (ctx.valid[t] === 0 || Math.abs(v) < TTC_STOPPED_SPEED) {
      series.valid[t] = 0;
      continue;
    }
    ignored.set(far); // agents out of reach stay ignored
    const h = ctx.heading[t];
    const mh = motionHeading(h, v);
    const [rx, ry] = ctx.rearAxle(t);
    for (let j = 0; j < K; j++) {
      const k = TTC_STEPS[j];
      const ex = ego[2 * (t * K + j)];
      const ey = ego[2 * (t * K + j) + 1];
      const future = Math.min(t + k, n - 1);
      const beyond = (t + k - future) * ctx.dt; // [s] past the log's end
      for (let a = 1; a < log.agents && series.values[t] === 1; a++) {
        const i = a * n + future;
        if (ignored[a] === 1 || log.valid[i] === 0) continue;
        const ax = beyond > 0 ? log.x[i] + Math.cos(log.heading[i]) * log.speed[i] * beyond : log.x[i];
        const ay = beyond > 0 ? log.y[i] + Math.sin(log.heading[i]) * log.speed[i] * beyond : log.y[i];
        if ((ax - ex) * (ax - ex) + (ay - ey) * (ay - ey) > reach[a] * reach[a]) continue;
        const hl = log.length[a] / 2;
        const hw = log.width[a] / 2;
        if (!boxesOverlap(ex, ey, h, ctx.halfLength, ctx.halfWidth, ax, ay, log.heading[i], hl, hw)) continue;
        const off = bearingOff(rx, ry, mh, ax, ay);
        const relevant =
          off < AHEAD ||
          (off <= BEHIND && (ctx.offroad[t] === 1 || ctx.inJunctionAt(rx, ry) || ctx.straddles(t)));
        if (relevant) series.values[t] = 0;
        else ignored[a] = 1;
      }
    }
  }
  return series;
}

/**
 * Ego's centre at state t moved TTC_STEPS[j] x 0.1 s on at its speed along its heading, (n, K, 2) [m]; NaN at
 * states TTC does not judge (ego absent or stopped).
 */
function projections(ctx: EpisodeContext): Float64Array {
  const K = TTC_STEPS.length;
  const out = new Float64Array(ctx.n * K * 2).fill(Number.NaN);
  for (let t = 0; t < ctx.n; t++) {
    const v = ctx.speed[t];
    if (ctx.valid[t] === 0 || Math.abs(v) < TTC_STOPPED_SPEED) continue;
    const c = Math.cos(ctx.heading[t]);
    const s = Math.sin(ctx.heading[t]);
    for (let j = 0; j < K; j++) {
      const tau = TTC_STEPS[j] * ctx.dt; // [s]
      out[2 * (t * K + j)] = ctx.x[t] + c * v * tau;
      out[2 * (t * K + j) + 1] = ctx.y[t] + s * v * tau;
    }
  }
  return out;
}

/**
 * 1 for the agents no projected ego box of ttcSeries can reach: the bounds of their centres (logged, and the
 * last one moved on to the farthest projection past the log's end) lie farther from the bounds of ego's
 * projected centres (`ego`, projections()) than `reach` (the two boxes' radii). Skipping them changes no TTC.
 */
function farAgents(ctx: EpisodeContext, ego: Float64Array, reach: Float64Array): Uint8Array {
  const { log, n } = ctx;
  const far = new Uint8Array(log.agents);
  const bounds = emptyBounds(new Float64Array(4));
  for (let p = 0; p < ego.length; p += 2) if (!Number.isNaN(ego[p])) widenBounds(bounds, ego[p], ego[p + 1]);
  const agent = new Float64Array(4);
  const beyond = TTC_STEPS[TTC_STEPS.length - 1] * ctx.dt; // [s] the farthest past the log's end
  for (let a = 1; a < log.agents; a++) {
    emptyBounds(agent);
    for (let t = 0; t < n; t++) {
      const i = a * n + t;
      if (log.valid[i] === 1) widenBounds(agent, log.x[i], log.y[i]);
    }
    const i = a * n + n - 1;
    if (log.valid[i] === 1) {
      const ax = log.x[i] + Math.cos(log.heading[i]) * log.speed[i] * beyond;
      const ay = log.y[i] + Math.sin(log.heading[i]) * log.speed[i] * beyond;
      widenBounds(agent, ax, ay);
    }
    if (boundsApart(bounds, agent, reach[a])) far[a] = 1;
  }
  return far;
}
