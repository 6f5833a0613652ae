// The expert's reference path: a chain of lanes ahead, optionally entered by a lane change whose lateral offset
// fades out along a smooth (quintic smoothstep) profile, sampled every metre ahead of ego. Geometry only; what
// the expert does on the path is in speed.ts and expert.ts.

import { wrapAngle } from '../../../core/angle.js';
import { lanePose, projectNear } from '../../road/geometry.js';
import type { RoadMap } from '../../types.js';

export const PATH_SPACING = 1; // [m] between samples
export const PATH_SAMPLES = 120; // samples ahead of ego's centre: the planning horizon in metres

/** A lane change in progress: on `lane` from arc length `start`, the offset `offset` fades to 0 over `length`. */
export interface LaneChange {
  readonly start: number; // [m] on the chain's first lane
  readonly length: number; // [m]
  readonly offset: number; // [m] lateral, left positive, at start
}

/** 0 -> 1 with zero slope and curvature at both ends. */
function smoothstep5(u: number): number {
  const x = Math.min(1, Math.max(0, u));
  return x * x * x * (10 + x * (-15 + 6 * x));
}

/** The reference path sampled ahead of ego, in world coordinates, with curvature per sample. */
export class PathSamples {
  readonly x = new Float64Array(PATH_SAMPLES);
  readonly y = new Float64Array(PATH_SAMPLES);
  readonly heading = new Float64Array(PATH_SAMPLES);
  readonly curvature = new Float64Array(PATH_SAMPLES);
  readonly laneId = new Int32Array(PATH_SAMPLES);
  readonly laneS = new Float64Array(PATH_SAMPLES);
  count = 0;
  /** Ego's arc length on the chain's first lane when sampled [m]. */
  egoS = 0;
  /** Ego's lateral offset from the reference path (left positive) [m]. */
  egoLateral = 0;

  /**
   * Samples the chain `lanes` (successive lanes, the first one holding ego) from ego's foot point, 1 m apart.
   * `change` adds the fading lateral offset of a lane change in progress.
   */
  fill(
    map: RoadMap,
    lanes: readonly number[],
    egoX: number,
    egoY: number,
    hint: number,
    change: LaneChange | null,
  ): void {
    const first = map.lanes[lanes[0]];
    const foot = projectNear(first, egoX, egoY, hint);
    this.egoS = foot.s;
    this.egoLateral = foot.lateral - (change ? offsetAt(change, foot.s) : 0);
    let k = 0;
    let laneIndex = 0;
    let s = Math.max(0, foot.s);
    let chainS = s; // arc length along the first lane's coordinate, continued through the chain
    while (k < PATH_SAMPLES && laneIndex < lanes.length) {
      const lane = map.lanes[lanes[laneIndex]];
      if (s > lane.length) {
        s -= lane.length;
        laneIndex++;
        continue;
      }
      const pose = lanePose(lane, s);
      const d = change && laneIndex === 0 ? offsetAt(change, chainS) : 0;
      const slope = change && laneIndex === 0 ? slopeAt(change, chainS) : 0;
      this.x[k] = pose.x - Math.sin(pose.heading) * d;
      this.y[k] = pose.y + Math.cos(pose.heading) * d;
      this.heading[k] = pose.heading + Math.atan(slope);
      this.laneId[k] = lane.id;
      this.laneS[k] = s;
      k++;
      s += PATH_SPACING;
      chainS += PATH_SPACING;
    }
    this.count = k;
    // Curvature from the headings two samples either side: smooth over the centreline's segment joints.
    for (let i = 0; i < k; i++) {
      const a = Math.max(0, i - 2);
      const b = Math.min(k - 1, i + 2);
      this.curvature[i] = b > a ? wrapAngle(this.heading[b] - this.heading[a]) / ((b - a) * PATH_SPACING) : 0;
    }
  }
}

/** The lateral offset of a lane change at arc length s [m]. */
export function offsetAt(change: LaneChange, s: number): number {
  return change.offset * (1 - smoothstep5((s - change.start) / change.length));
}

function slopeAt(change: LaneChange, s: number): number {
  const h = 0.5; // [m] finite-difference step
  return (offsetAt(change, s + h) - offsetAt(change, s - h)) / (2 * h);
}
