// A signalised junction of straight two-way arms (four-way, or a T without one arm): connectors for straight,
// left and right turns, stop lines, crosswalks on every arm, one light per approach on a fixed-time controller.
// Seeded timings; not mid-block streets (street.ts).

import type { Rng } from '../../../core/rng.js';
import type { JunctionKind, RoadMap } from '../../types.js';
import { MapBuilder } from '../builder.js';
import { lanePose } from '../geometry.js';
import { bezierConnector, type Point } from '../paths.js';
import { addRoad, type RoadLanes } from './road.js';
import { CROSSWALK_WIDTH, STOP_BEFORE_CROSSWALK, URBAN_LANE_WIDTH, URBAN_SPEED_LIMIT } from './street.js';

export const TURN_SPEED_LIMIT = 8; // [m/s] on connectors
const JUNCTION_MARGIN = 4; // [m] from the outermost lane edge to the junction's edge
const LIGHT_HEIGHT = 5.5; // [m] of a light head above the road
export const YELLOW_TIME = 3; // [s]
export const ALL_RED_TIME = 2; // [s]

export type Turn = 'straight' | 'left' | 'right';

export interface IntersectionSpec {
  readonly kind: Extract<JunctionKind, 'four-way' | 't-junction'>;
  readonly lanes: number; // per direction on every arm
  readonly armLength: number; // [m]
  readonly green: number; // [s] per phase group
  readonly offset?: number; // [s] into the light cycle at t = 0 (group 0 turns green at 0); seeded when absent
}

/** An arm's lanes: incoming (towards the junction) and outgoing, innermost first, and its light. */
export interface Arm {
  readonly direction: number; // 0 east, 1 north, 2 west, 3 south: where the arm points from the centre
  readonly incoming: readonly number[];
  readonly outgoing: readonly number[];
  readonly lightId: number;
  readonly crosswalkId: number;
}

export interface Intersection {
  readonly map: RoadMap;
  readonly arms: readonly Arm[];
  /** Connector lane ids by incoming arm direction, turn and incoming lane index (a missing turn is absent). */
  readonly connectors: ReadonlyMap<string, number>;
  readonly halfSize: number; // [m] the junction square is [-halfSize, halfSize]^2
}

export function connectorKey(fromDirection: number, turn: Turn, laneIndex: number): string {
  return `${fromDirection}:${turn}:${laneIndex}`;
}

/** The arm a turn exits by, coming in on arm `from`. */
export function exitDirection(from: number, turn: Turn): number {
  return (from + (turn === 'straight' ? 2 : turn === 'left' ? 3 : 1)) % 4;
}

export function buildIntersection(spec: IntersectionSpec, rng: Rng): Intersection {
  const b = new MapBuilder();
  const w = URBAN_LANE_WIDTH;
  const half = spec.lanes * w + JUNCTION_MARGIN;
  const directions = spec.kind === 'four-way' ? [0, 1, 2, 3] : [0, 1, 2];
  const controllerId = b.addController({
    junctionId: 0,
    groups: 2,
    green: spec.green,
    yellow: YELLOW_TIME,
    allRed: ALL_RED_TIME,
    offset: spec.offset ?? rng.uniform(0, 2 * (spec.green + YELLOW_TIME + ALL_RED_TIME)),
  });
  // The junction's surface reaches over the crosswalks to the stop lines, as intersection polygons do in nuPlan.
  const reach = half + CROSSWALK_WIDTH;
  const junctionId = b.addJunction(
    spec.kind,
    [
      [-reach, -reach],
      [reach, -reach],
      [reach, reach],
      [-reach, reach],
    ],
    controllerId,
  );

  const arms: Arm[] = directions.map((direction) => {
    const ux = Math.cos((direction * Math.PI) / 2);
    const uy = Math.sin((direction * Math.PI) / 2);
    // The reference line runs inwards, so its forward lanes are the incoming ones.
    const line: Point[] = [
      [ux * (half + spec.armLength), uy * (half + spec.armLength)],
      [ux * half, uy * half],
    ];
    const lanes: RoadLanes = addRoad(b, densify(line), {
      forward: spec.lanes,
      backward: spec.lanes,
      width: w,
      speedLimit: URBAN_SPEED_LIMIT,
    });
    const roadHalf = spec.lanes * w;
    const across = (along: number, side: number) => [ux * along - uy * side, uy * along + ux * side] as const;
    const crosswalkId = b.addCrosswalk(
      [
        across(half, -roadHalf),
        across(half + CROSSWALK_WIDTH, -roadHalf),
        across(half + CROSSWALK_WIDTH, roadHalf),
        across(half, roadHalf),
      ],
      [...lanes.forward, ...lanes.backward],
    );
    // The head hangs over the incoming lanes on the far side of the junction, facing the approach.
    const lightId = b.addLight({
      junctionId,
      controllerId,
      phaseGroup: direction % 2,
      position: [-ux * (half + 1) - uy * (roadHalf / 2), -uy * (half + 1) + ux * (roadHalf / 2)],
      height: LIGHT_HEIGHT,
      laneIds: lanes.forward,
    });
    for (const id of lanes.forward) {
      b.stopLine(id, b.lane(id).length - CROSSWALK_WIDTH - STOP_BEFORE_CROSSWALK, lightId);
    }
    return { direction, incoming: lanes.forward, outgoing: lanes.backward, lightId, crosswalkId };
  });

  const connectors = new Map<string, number>();
  const byDirection = new Map(arms.map((arm) => [arm.direction, arm]));
  for (const from of arms) {
    for (const turn of ['straight', 'left', 'right'] as const) {
      const to = byDirection.get(exitDirection(from.direction, turn));
      if (!to) continue;
      const pairs: [number, number][] =
        turn === 'straight'
          ? from.incoming.map((_, i) => [i, i])
          : turn === 'left'
            ? [[0, 0]]
            : [[spec.lanes - 1, spec.lanes - 1]];
      for (const [i, j] of pairs) {
        const inLane = b.lane(from.incoming[i]);
        const outLane = b.lane(to.outgoing[j]);
        const start = lanePose(inLane, inLane.length);
        const end = lanePose(outLane, 0);
        const id = b.addLane({
          kind: 'connector',
          junctionId,
          points: bezierConnector([start.x, start.y], start.heading, [end.x, end.y], end.heading),
          width: w,
          speedLimit: TURN_SPEED_LIMIT,
        });
        b.link(from.incoming[i], id);
        b.link(id, to.outgoing[j]);
        connectors.set(connectorKey(from.direction, turn, i), id);
      }
    }
  }
  return { map: b.build(), arms, connectors, halfSize: half };
}

/** A two-point line with points every 10 m, so offsets and projections behave like any other line. */
function densify(line: readonly Point[]): Point[] {
  const [a, b] = line;
  const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 10));
  return Array.from(
    { length: steps + 1 },
    (_, i) => [a[0] + ((b[0] - a[0]) * i) / steps, a[1] + ((b[1] - a[1]) * i) / steps] as const,
  );
}
