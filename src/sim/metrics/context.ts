// Everything the metrics read about one episode, computed once: ego's rows of the log, its place on
// the route, whether it is off the drivable area, on the route's lanes, in a junction, in two lanes at once.
// Not a metric; each metric file reads what it needs from here.

import { assert } from '../../core/assert.js';
import { insidePolygon, isDrivable } from '../road/drivable.js';
import { type ProjectionHint, projectToLane } from '../road/geometry.js';
import type { EpisodeLog, Lane, RoadMap, Scenario } from '../types.js';
import { DT } from '../types.js';
import { boxCorners } from './boxes.js';
import { type RouteTrack, routeTrack } from './route.js';
import { routeLaneSet } from './route-lanes.js';

export interface ContextOptions {
  /** The reference planner's (the expert's) route progress on the same scenario [m]; EP is invalid without it. */
  readonly referenceProgress?: number;
  /**
   * The reference planner's multiplier product NC x DAC x DDC x TLC on the same scenario (default 1): NAVSIM
   * normalises EP by the best progress among proposals weighted by their multiplier products.
   */
  readonly referenceMultiplier?: number;
}

/** Whether (x, y) lies inside a lane's polygon: within half its width of the centreline, between its ends. */
export function inLane(lane: Lane, x: number, y: number, hint?: ProjectionHint): boolean {
  const p = projectToLane(lane, x, y, hint);
  return Math.abs(p.lateral) <= lane.width / 2 && p.s >= 0 && p.s <= lane.length;
}

const routeLaneSets = new WeakMap<Scenario, ReadonlySet<number>>();

/** The scenario's on-route lane ids, made once per scenario (a plan scorer builds a context per plan). */
function routeLanesOf(scenario: Scenario): ReadonlySet<number> {
  let set = routeLaneSets.get(scenario);
  if (!set) {
    set = routeLaneSet(scenario.map, scenario.route);
    routeLaneSets.set(scenario, set);
  }
  return set;
}

/** One scored episode: the log, ego's views into it and the per-state road facts shared by several metrics. */
export class EpisodeContext {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly map: RoadMap;
  readonly n: number; // states, steps + 1
  readonly dt = DT; // [s]
  readonly referenceProgress: number | undefined; // [m]
  readonly referenceMultiplier: number;
  // Ego's rows of the log, (n,) views (agent 0, agent-major layout).
  readonly valid: Uint8Array;
  readonly x: Float32Array; // [m]
  readonly y: Float32Array; // [m]
  readonly heading: Float32Array; // [rad]
  readonly speed: Float32Array; // [m/s]
  readonly accel: Float32Array; // [m/s2] the simulator's acceleration state
  readonly yawRate: Float32Array; // [rad/s] the simulator's yaw-rate state
  readonly halfLength: number; // [m]
  readonly halfWidth: number; // [m]
  /** 1 where ego's centre is inside a junction polygon (NAVSIM: in the INTERSECTION layer). (n,) */
  readonly inJunction: Uint8Array;
  /** 1 where ego's centre is inside the polygon of an on-route lane (route-lanes.ts). (n,) */
  readonly onRoute: Uint8Array;
  /** The on-route lane ids (route-lanes.ts). */
  readonly routeLanes: ReadonlySet<number>;
  /** 1 where a corner of ego's box is off the drivable area. (n,) */
  readonly offroad: Uint8Array;
  readonly route: RouteTrack;
  private readonly straddle: Int8Array; // (n,) -1 not yet computed, else 0/1
  private readonly corners = new Float64Array(8); // (4, 2) scratch

  constructor(scenario: Scenario, log: EpisodeLog, options: ContextOptions = {}) {
    const n = log.steps + 1;
    assert(
      log.agents >= 1 && log.kind.length === log.agents,
      () => `log has ${log.agents} agents, kind has ${log.kind.length}`,
    );
    assert(
      log.x.length === log.agents * n,
      () => `log.x has ${log.x.length} entries, expected agents * (steps + 1) = ${log.agents * n}`,
    );
    this.scenario = scenario;
    this.log = log;
    this.map = scenario.map;
    this.n = n;
    this.referenceProgress = options.referenceProgress;
    this.referenceMultiplier = options.referenceMultiplier ?? 1;
    this.valid = log.valid.subarray(0, n);
    this.x = log.x.subarray(0, n);
    this.y = log.y.subarray(0, n);
    this.heading = log.heading.subarray(0, n);
    this.speed = log.speed.subarray(0, n);
    this.accel = log.accel.subarray(0, n);
    this.yawRate = log.yawRate.subarray(0, n);
    this.halfLength = log.length[0] / 2;
    this.halfWidth = log.width[0] / 2;
    this.inJunction = new Uint8Array(n);
    this.onRoute = new Uint8Array(n);
    this.routeLanes = routeLanesOf(scenario);
    this.offroad = new Uint8Array(n);
    this.straddle = new Int8Array(n).fill(-1);
    const routeLanes: Lane[] = [];
    const hints: ProjectionHint[] = []; // one per lane: ego moves little from state to state
    for (const id of this.routeLanes) {
      routeLanes.push(this.map.lanes[id]);
      hints.push({ segment: -1 });
    }
    let hit = 0; // the lane that held ego last is tried first: any one lane decides
    for (let t = 0; t < n; t++) {
      this.inJunction[t] = this.inJunctionAt(this.x[t], this.y[t]) ? 1 : 0;
      for (let j = 0; j < routeLanes.length; j++) {
        const k = j === 0 ? hit : j <= hit ? j - 1 : j;
        if (inLane(routeLanes[k], this.x[t], this.y[t], hints[k])) {
          this.onRoute[t] = 1;
          hit = k;
          break;
        }
      }
      const c = this.egoCorners(t);
      let off = 0;
      for (let k = 0; k < 4; k++) if (!isDrivable(this.map.drivable, c[2 * k], c[2 * k + 1])) off = 1;
      this.offroad[t] = off;
    }
    this.route = routeTrack(this.map, scenario.route, this.x, this.y, n);
  }

  /** Ego's corners at state t, (4, 2) front-left, front-right, rear-right, rear-left; a shared scratch buffer. */
  egoCorners(t: number): Float64Array {
    return boxCorners(this.x[t], this.y[t], this.heading[t], this.halfLength, this.halfWidth, this.corners);
  }

  /** Whether (x, y) lies inside one of the map's junction polygons. */
  inJunctionAt(x: number, y: number): boolean {
    for (const j of this.map.junctions) if (insidePolygon(j.polygon, x, y)) return true;
    return false;
  }

  /**
   * Ego's rear axle at state t, where nuPlan measures its relevance and rear-hit angles from: for our kinematic
   * bicycle (highway-env, rear axle L/2 behind the centre) the middle of the rear edge. nuPlan's Pacifica has it
   * 1.46 m behind the centre of a 5.18 m car.
   */
  rearAxle(t: number): [number, number] {
    const h = this.heading[t];
    return [this.x[t] - Math.cos(h) * this.halfLength, this.y[t] - Math.sin(h) * this.halfLength];
  }

  /**
   * Whether ego is in multiple lanes at state t, NAVSIM's rule (pdm_scorer.py `_calculate_ego_area`): corners of
   * its box lie in more than one lane or connector polygon and no single polygon holds all four. Computed on
   * first use (only collisions and TTC ask).
   */
  straddles(t: number): boolean {
    if (this.straddle[t] < 0) {
      const c = this.egoCorners(t);
      let touched = 0;
      let whole = false;
      for (const lane of this.map.lanes) {
        let inside = 0;
        for (let k = 0; k < 4; k++) if (inLane(lane, c[2 * k], c[2 * k + 1])) inside++;
        if (inside > 0) touched++;
        if (inside === 4) whole = true;
      }
      this.straddle[t] = touched > 1 && !whole ? 1 : 0;
    }
    return this.straddle[t] === 1;
  }
}
