// TLC, traffic-light compliance (NAVSIM v2 `_calculate_traffic_light_compliance` in pdm_scorer.py, from
// Hydra-MDP++): 0 if ego's box overlaps an on-route lane connector whose light is red. Not the light controllers.

import { type Lane, LightColour } from '../types.js';
import { boxesOverlap } from './boxes.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** The area a light forbids while red, as oriented boxes (k, 5): centre x, y, heading, half length, half width. */
interface RedArea {
  readonly lightId: number;
  readonly boxes: Float64Array;
}

/** Pushes the boxes covering a lane's polygon between arc lengths s0 and s1, one per centreline segment. */
function laneBoxes(lane: Lane, s0: number, s1: number, out: number[]): void {
  const p = lane.points;
  for (let i = 0; i + 1 < lane.s.length; i++) {
    const a = Math.max(s0, lane.s[i]);
    const b = Math.min(s1, lane.s[i + 1]);
    const seg = lane.s[i + 1] - lane.s[i];
    if (b <= a || seg <= 0) continue;
    const dx = (p[2 * i + 2] - p[2 * i]) / seg;
    const dy = (p[2 * i + 3] - p[2 * i + 1]) / seg;
    const mid = (a + b) / 2 - lane.s[i];
    out.push(p[2 * i] + dx * mid, p[2 * i + 1] + dy * mid, Math.atan2(dy, dx), (b - a) / 2, lane.width / 2);
  }
}

/**
 * Per signalised stop line on an on-route lane: the on-route connectors leaving that lane and, since nuPlan's
 * connectors start at the stop line while ours start past the crosswalk, the lane's stretch beyond the line.
 */
function redAreas(ctx: EpisodeContext): RedArea[] {
  const areas: RedArea[] = [];
  for (const lane of ctx.map.lanes) {
    const stop = lane.stopLine;
    if (!stop || stop.lightId < 0 || !ctx.routeLanes.has(lane.id)) continue;
    const boxes: number[] = [];
    laneBoxes(lane, stop.s, lane.length, boxes);
    for (const id of lane.successors) {
      const next = ctx.map.lanes[id];
      if (next.kind === 'connector' && ctx.routeLanes.has(id)) laneBoxes(next, 0, next.length, boxes);
    }
    areas.push({ lightId: stop.lightId, boxes: Float64Array.from(boxes) });
  }
  return areas;
}

/**
 * TLC per state: 0 at state t when ego's box overlaps the red area of a light that is red at t (log.lights,
 * (L, T)), else 1; yellow is allowed. As in NAVSIM any overlap counts, so a car still inside the junction when
 * its light turns red fails too. Deliberate differences: NAVSIM holds each frame's light states for its 4 s
 * while we read them per state; its red polygons are the connectors alone (see redAreas).
 */
export function trafficLightSeries(ctx: EpisodeContext): StepSeries {
  const { n, log } = ctx;
  const areas = redAreas(ctx);
  const series = passingSeries(n);
  for (let t = 0; t < n; t++) {
    series.valid[t] = ctx.valid[t];
    if (ctx.valid[t] === 0) continue;
    for (const area of areas) {
      if (log.lights[area.lightId * n + t] !== LightColour.red) continue;
      const b = area.boxes;
      for (let k = 0; k < b.length && series.values[t] === 1; k += 5) {
        const hit = boxesOverlap(
          ctx.x[t],
          ctx.y[t],
          ctx.heading[t],
          ctx.halfLength,
          ctx.halfWidth,
          b[k],
          b[k + 1],
          b[k + 2],
          b[k + 3],
          b[k + 4],
        );
        if (hit) series.values[t] = 0;
      }
    }
  }
  return series;
}
