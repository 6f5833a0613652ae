// Everything the metrics read about one episode, computed once: ego's rows of the log, its lane, its place on
// the route, whether it is off the drivable area. Not a metric; each metric file reads what it needs from here.

import { assert } from '../../core/assert.js';
import { isDrivable } from '../road/drivable.js';
import { projectToLane } from '../road/geometry.js';
import { locate } from '../road/lane-graph.js';
import type { EpisodeLog, RoadMap, Scenario } from '../types.js';
import { DT } from '../types.js';
import { boxCorners } from './boxes.js';
import { type RouteTrack, routeTrack } from './route.js';

export interface ContextOptions {
  /** The reference planner's (the expert's) route progress on the same scenario [m]; EP is invalid without it. */
  readonly referenceProgress?: number;
}

/** One scored episode: the log, ego's views into it and the per-state road facts shared by several metrics. */
export class EpisodeContext {
  readonly scenario: Scenario;
  readonly log: EpisodeLog;
  readonly map: RoadMap;
  readonly n: number; // states, steps + 1
  readonly dt = DT; // [s]
  readonly referenceProgress: number | undefined; // [m]
  // Ego's rows of the log, (n,) views (agent 0, agent-major layout).
  readonly valid: Uint8Array;
  readonly x: Float32Array; // [m]
  readonly y: Float32Array; // [m]
  readonly heading: Float32Array; // [rad]
  readonly speed: Float32Array; // [m/s]
  readonly halfLength: number; // [m]
  readonly halfWidth: number; // [m]
  /** Lane ego drives in (nearest lane within 90 deg of its heading), -1 when none. (n,) */
  readonly laneId: Int32Array;
  /** Signed distance from that lane's centreline, left positive [m]. (n,) */
  readonly laneLateral: Float32Array;
  /** 1 where that lane is a junction connector. (n,) */
  readonly inJunction: Uint8Array;
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
    this.valid = log.valid.subarray(0, n);
    this.x = log.x.subarray(0, n);
    this.y = log.y.subarray(0, n);
    this.heading = log.heading.subarray(0, n);
    this.speed = log.speed.subarray(0, n);
    this.halfLength = log.length[0] / 2;
    this.halfWidth = log.width[0] / 2;
    this.laneId = new Int32Array(n);
    this.laneLateral = new Float32Array(n);
    this.inJunction = new Uint8Array(n);
    this.offroad = new Uint8Array(n);
    this.straddle = new Int8Array(n).fill(-1);
    for (let t = 0; t < n; t++) {
      const here = locate(this.map, this.x[t], this.y[t], this.heading[t]);
      this.laneId[t] = here ? here.laneId : -1;
      this.laneLateral[t] = here ? here.lateral : 0;
      this.inJunction[t] = here && this.map.lanes[here.laneId].kind === 'connector' ? 1 : 0;
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

  /**
   * Whether ego straddles lanes at state t (NAVSIM's "in multiple lanes"): some corner lies outside the lane
   * ego's centre is in, or ego is in no lane. Computed on first use (only collisions and TTC ask).
   */
  straddles(t: number): boolean {
    if (this.straddle[t] < 0) {
      let out = this.laneId[t] < 0;
      if (!out) {
        const lane = this.map.lanes[this.laneId[t]];
        const c = this.egoCorners(t);
        for (let k = 0; k < 4 && !out; k++)
          out = Math.abs(projectToLane(lane, c[2 * k], c[2 * k + 1]).lateral) > lane.width / 2;
      }
      this.straddle[t] = out ? 1 : 0;
    }
    return this.straddle[t] === 1;
  }
}
