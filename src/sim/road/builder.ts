// A mutable map under construction: lanes, links, stop lines, lights, junctions and crosswalks, frozen into an
// immutable RoadMap (with its drivable raster) by build(). Not any particular layout (layouts/).

import type {
  Crosswalk,
  Junction,
  JunctionKind,
  Lane,
  LaneKind,
  RoadMap,
  SignalController,
  StopLine,
  TrafficLight,
} from '../types.js';
import { emptyGrid, paintLane, paintPolygon } from './drivable.js';
import { lanePose, polyline } from './geometry.js';

type Point = readonly [number, number];
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type DraftLane = Mutable<Omit<Lane, 'successors' | 'predecessors'>> & {
  successors: number[];
  predecessors: number[];
};

export interface LaneSpec {
  readonly points: readonly Point[]; // centreline in travel order [m]
  readonly width: number; // [m]
  readonly speedLimit: number; // [m/s]
  readonly kind?: LaneKind; // default 'road'
  readonly junctionId?: number; // default -1
}

const MAP_MARGIN = 10; // [m] around the lanes in the map bounds

export class MapBuilder {
  private readonly lanes: DraftLane[] = [];
  private readonly junctions: Junction[] = [];
  private readonly lights: TrafficLight[] = [];
  private readonly controllers: SignalController[] = [];
  private readonly crosswalks: Crosswalk[] = [];

  lane(id: number): Lane {
    return this.lanes[id] as Lane;
  }

  addLane(spec: LaneSpec): number {
    const { points, s } = polyline(spec.points);
    const id = this.lanes.length;
    this.lanes.push({
      id,
      kind: spec.kind ?? 'road',
      points,
      s,
      length: s[s.length - 1],
      width: spec.width,
      speedLimit: spec.speedLimit,
      successors: [],
      predecessors: [],
      leftNeighbour: -1,
      rightNeighbour: -1,
      oncoming: -1,
      stopLine: null,
      junctionId: spec.junctionId ?? -1,
    });
    return id;
  }

  /** Lane `to` follows lane `from`. */
  link(from: number, to: number): void {
    this.lanes[from].successors.push(to);
    this.lanes[to].predecessors.push(from);
  }

  /** `left` runs alongside `right`, in the same direction, to its left. */
  sideBySide(left: number, right: number): void {
    this.lanes[left].rightNeighbour = right;
    this.lanes[right].leftNeighbour = left;
  }

  /** a and b run alongside each other in opposite directions. */
  opposite(a: number, b: number): void {
    this.lanes[a].oncoming = b;
    this.lanes[b].oncoming = a;
  }

  /** A stop line across lane `laneId` at arc length s, governed by light `lightId` (-1: yield, no light). */
  stopLine(laneId: number, s: number, lightId: number): void {
    const lane = this.lanes[laneId];
    const pose = lanePose(lane as Lane, s);
    const half = lane.width / 2;
    const nx = -Math.sin(pose.heading) * half;
    const ny = Math.cos(pose.heading) * half;
    const line: StopLine = { s, lightId, segment: [pose.x - nx, pose.y - ny, pose.x + nx, pose.y + ny] };
    lane.stopLine = line;
  }

  addController(spec: Omit<SignalController, 'id'>): number {
    this.controllers.push({ id: this.controllers.length, ...spec });
    return this.controllers.length - 1;
  }

  addLight(spec: Omit<TrafficLight, 'id'>): number {
    this.lights.push({ id: this.lights.length, ...spec });
    return this.lights.length - 1;
  }

  addJunction(kind: JunctionKind, polygon: readonly Point[], controllerId: number): number {
    const id = this.junctions.length;
    this.junctions.push({ id, kind, polygon: new Float32Array(polygon.flat()), controllerId });
    return id;
  }

  addCrosswalk(corners: readonly Point[], laneIds: readonly number[]): number {
    const id = this.crosswalks.length;
    this.crosswalks.push({ id, polygon: new Float32Array(corners.flat()), laneIds });
    return id;
  }

  build(): RoadMap {
    const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const lane of this.lanes) {
      for (let i = 0; i < lane.points.length; i += 2) {
        bounds[0] = Math.min(bounds[0], lane.points[i] - MAP_MARGIN);
        bounds[1] = Math.min(bounds[1], lane.points[i + 1] - MAP_MARGIN);
        bounds[2] = Math.max(bounds[2], lane.points[i] + MAP_MARGIN);
        bounds[3] = Math.max(bounds[3], lane.points[i + 1] + MAP_MARGIN);
      }
    }
    const drivable = emptyGrid(bounds);
    for (const lane of this.lanes) paintLane(drivable, lane as Lane);
    for (const junction of this.junctions) paintPolygon(drivable, junction.polygon);
    return {
      lanes: this.lanes as Lane[],
      junctions: this.junctions,
      lights: this.lights,
      controllers: this.controllers,
      crosswalks: this.crosswalks,
      drivable,
      bounds,
    };
  }
}
