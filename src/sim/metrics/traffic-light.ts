// TLC, traffic-light compliance (NAVSIM v2 `traffic_light_compliance`): 0 if ego's front crosses a stop line
// while its light is red. Not the light controllers (road/lights.ts); colours come from the episode log.

import { lanePose } from '../road/geometry.js';
import { LightColour } from '../types.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** A signalised stop line: its painted segment and the direction of travel across it. */
interface SignalLine {
  readonly lightId: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly dirX: number; // unit lane direction at the line
  readonly dirY: number;
}

function signalLines(ctx: EpisodeContext): SignalLine[] {
  const lines: SignalLine[] = [];
  for (const lane of ctx.map.lanes) {
    const stop = lane.stopLine;
    if (!stop || stop.lightId < 0) continue;
    const pose = lanePose(lane, stop.s);
    const [x0, y0, x1, y1] = stop.segment;
    lines.push({
      lightId: stop.lightId,
      x0,
      y0,
      x1,
      y1,
      dirX: Math.cos(pose.heading),
      dirY: Math.sin(pose.heading),
    });
  }
  return lines;
}

/** Whether segments p0-p1 and q0-q1 intersect (touching the far side counts, leaving from the line does not). */
function crosses(px0: number, py0: number, px1: number, py1: number, l: SignalLine): boolean {
  const rx = px1 - px0;
  const ry = py1 - py0;
  const sx = l.x1 - l.x0;
  const sy = l.y1 - l.y0;
  const denom = rx * sy - ry * sx;
  if (denom === 0) return false;
  const qx = l.x0 - px0;
  const qy = l.y0 - py0;
  const u = (qx * sy - qy * sx) / denom; // along ego's path
  const v = (qx * ry - qy * rx) / denom; // along the line
  return u > 0 && u <= 1 && v >= 0 && v <= 1;
}

/**
 * TLC per state: 0 at state t when, from state t - 1 to t, the midpoint of ego's front edge crossed a
 * signalised stop line in the lane's direction of travel while that line's light was red at t - 1 (the colour ego
 * saw before crossing; a crossing on yellow is allowed, as is stopping before the line). Lights are read from
 * `log.lights`, (L, T). nuPlan likewise judges the front crossing the stop line; NAVSIM v2 treats red-light lane
 * connectors as obstacles, which blames the same crossings.
 */
export function trafficLightSeries(ctx: EpisodeContext): StepSeries {
  const { n, log } = ctx;
  const lines = signalLines(ctx);
  const series = passingSeries(n);
  for (let t = 0; t < n; t++) series.valid[t] = ctx.valid[t];
  for (let t = 1; t < n; t++) {
    if (ctx.valid[t] === 0 || ctx.valid[t - 1] === 0) continue;
    const ax = ctx.x[t - 1] + Math.cos(ctx.heading[t - 1]) * ctx.halfLength;
    const ay = ctx.y[t - 1] + Math.sin(ctx.heading[t - 1]) * ctx.halfLength;
    const bx = ctx.x[t] + Math.cos(ctx.heading[t]) * ctx.halfLength;
    const by = ctx.y[t] + Math.sin(ctx.heading[t]) * ctx.halfLength;
    for (const line of lines) {
      if (log.lights[line.lightId * n + t - 1] !== LightColour.red) continue;
      if ((bx - ax) * line.dirX + (by - ay) * line.dirY <= 0) continue;
      if (crosses(ax, ay, bx, by, line)) series.values[t] = 0;
    }
  }
  return series;
}
