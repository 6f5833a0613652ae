// NC, no at-fault collision (NAVSIM `_calculate_no_at_fault_collision` in pdm_scorer.py, after nuPlan's metric):
// oriented-box contacts between ego and every other agent, classified by who is at fault. Not TTC (ttc.ts).

import { AGENT_KIND_NAMES, AgentKind } from '../types.js';
import { bearingOff, boundsApart, boxesOverlap, emptyBounds, motionHeading, widenBounds } from './boxes.js';
import type { EpisodeContext } from './context.js';
import { passingSeries, type StepSeries } from './metric.js';

/** Below this speed an agent (or ego) counts as stopped (nuPlan's collision classifier). */
export const STOPPED_SPEED = 0.05; // [m/s]
/** An agent whose centre lies more than this angle off ego's direction, seen from its rear axle, is behind it. */
const BEHIND_ANGLE = (150 * Math.PI) / 180; // [rad] nuPlan is_agent_behind

/** nuPlan's collision types (planning/metrics/utils/collision_utils.py). */
export type CollisionType =
  | 'stopped-ego'
  | 'stopped-track'
  | 'active-rear'
  | 'active-front'
  | 'active-lateral';

export interface CollisionEvent {
  readonly step: number; // state index of the first contact of this kind with this agent
  readonly agent: number; // agent index in the log
  readonly agentKind: (typeof AGENT_KIND_NAMES)[number];
  readonly type: CollisionType;
  readonly atFault: boolean;
  readonly score: number; // NC value this contact gives: 0, 0.5, or 1 when not at fault
}

export interface CollisionAnalysis {
  readonly series: StepSeries; // NC per state: 0 or 0.5 at the state an at-fault contact with an agent starts
  readonly events: readonly CollisionEvent[];
}

/** Whether an agent of this kind is a traffic participant (NC 0) rather than a static object (NC 0.5). */
function isParticipant(kind: number): boolean {
  return kind === AgentKind.vehicle || kind === AgentKind.pedestrian || kind === AgentKind.cyclist;
}

/**
 * Classifies a contact between ego (state t) and agent `a` as NAVSIM's get_collision_type (pdm_scorer_utils.py)
 * does, in this order: ego stopped (|v| <= 0.05 m/s) -> stopped-ego; agent stopped or a static obstacle ->
 * stopped-track; agent centre strictly more than 150 deg off ego's direction seen from ego's rear axle ->
 * active-rear; ego's leading edge touches the agent -> active-front; else active-lateral. Deliberate difference:
 * while ego reverses its direction of motion is backwards and its rear is its leading edge, so reversing into
 * something is not excused as being rear-ended.
 */
function classify(ctx: EpisodeContext, t: number, a: number, index: number): CollisionType {
  const log = ctx.log;
  const v = ctx.speed[t];
  if (Math.abs(v) <= STOPPED_SPEED) return 'stopped-ego';
  if (log.kind[a] === AgentKind.obstacle || Math.abs(log.speed[index]) <= STOPPED_SPEED)
    return 'stopped-track';
  const h = motionHeading(ctx.heading[t], v);
  const fx = Math.cos(h);
  const fy = Math.sin(h);
  const [rx, ry] = ctx.rearAxle(t);
  if (bearingOff(rx, ry, h, log.x[index], log.y[index]) > BEHIND_ANGLE) return 'active-rear';
  const edgeX = ctx.x[t] + fx * ctx.halfLength;
  const edgeY = ctx.y[t] + fy * ctx.halfLength;
  const front = boxesOverlap(
    edgeX,
    edgeY,
    h,
    0,
    ctx.halfWidth,
    log.x[index],
    log.y[index],
    log.heading[index],
    log.length[a] / 2,
    log.width[a] / 2,
  );
  return front ? 'active-front' : 'active-lateral';
}

/**
 * NC per state and every collision, following NAVSIM's `_calculate_no_at_fault_collision`:
 * a contact is at fault when it is active-front or stopped-track, or active-lateral while ego straddles lanes
 * or has a corner off the drivable area. At fault with a vehicle, pedestrian or cyclist gives 0, with a static
 * obstacle 0.5. A contact that is not at fault puts the agent on an ignore list for the rest of the episode
 * (so being pushed after a rear-ending is not blamed on ego). Episode NC is the minimum over states.
 */
export function collisions(ctx: EpisodeContext): CollisionAnalysis {
  const { log, n } = ctx;
  const series = passingSeries(n);
  const events: CollisionEvent[] = [];
  const ignored = new Uint8Array(log.agents); // not-at-fault contact seen
  const blamed = new Uint8Array(log.agents); // at-fault contact recorded
  const egoRadius = Math.hypot(ctx.halfLength, ctx.halfWidth);
  const reach = new Float64Array(log.agents); // [m] centre distance beyond which ego's and the agent's boxes are apart
  for (let a = 1; a < log.agents; a++) reach[a] = egoRadius + Math.hypot(log.length[a] / 2, log.width[a] / 2);
  const far = farAgents(ctx, reach);
  for (let t = 0; t < n; t++) {
    if (ctx.valid[t] === 0) {
      series.valid[t] = 0;
      continue;
    }
    for (let a = 1; a < log.agents; a++) {
      const i = a * n + t;
      if (far[a] === 1 || log.valid[i] === 0 || ignored[a] === 1) continue;
      const dx = log.x[i] - ctx.x[t];
      const dy = log.y[i] - ctx.y[t];
      if (dx * dx + dy * dy > reach[a] * reach[a]) continue;
      const hl = log.length[a] / 2;
      const hw = log.width[a] / 2;
      if (
        !boxesOverlap(
          ctx.x[t],
          ctx.y[t],
          ctx.heading[t],
          ctx.halfLength,
          ctx.halfWidth,
          log.x[i],
          log.y[i],
          log.heading[i],
          hl,
          hw,
        )
      )
        continue;
      const type = classify(ctx, t, a, i);
      const atFault =
        type === 'active-front' ||
        type === 'stopped-track' ||
        (type === 'active-lateral' && (ctx.offroad[t] === 1 || ctx.straddles(t)));
      if (!atFault) {
        ignored[a] = 1;
        events.push({ step: t, agent: a, agentKind: AGENT_KIND_NAMES[log.kind[a]], type, atFault, score: 1 });
        continue;
      }
      if (blamed[a] === 1) continue;
      blamed[a] = 1;
      const score = isParticipant(log.kind[a]) ? 0 : 0.5;
      if (score < series.values[t]) series.values[t] = score;
      events.push({ step: t, agent: a, agentKind: AGENT_KIND_NAMES[log.kind[a]], type, atFault, score });
    }
  }
  return { series, events };
}

/**
 * 1 for the agents ego's box never reaches: the bounds of their valid centres lie farther from the bounds of
 * ego's valid centres than `reach` (the two boxes' radii). Skipping them changes no contact.
 */
function farAgents(ctx: EpisodeContext, reach: Float64Array): Uint8Array {
  const { log, n } = ctx;
  const far = new Uint8Array(log.agents);
  const ego = emptyBounds(new Float64Array(4));
  for (let t = 0; t < n; t++) if (ctx.valid[t] === 1) widenBounds(ego, ctx.x[t], ctx.y[t]);
  const agent = new Float64Array(4);
  for (let a = 1; a < log.agents; a++) {
    emptyBounds(agent);
    for (let t = 0; t < n; t++) {
      const i = a * n + t;
      if (log.valid[i] === 1) widenBounds(agent, log.x[i], log.y[i]);
    }
    if (boundsApart(ego, agent, reach[a])) far[a] = 1;
  }
  return far;
}
