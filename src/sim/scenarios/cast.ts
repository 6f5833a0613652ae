// The cast of a scenario under construction: ego and the background agents with their poses and intents,
// frozen into the initial WorldState. Also seeded traffic filling lanes. Not any one family (one file each).

import type { Rng } from '../../core/rng.js';
import { lanePose } from '../road/geometry.js';
import { lightStates } from '../road/lights.js';
import { allocAgents, allocIntents } from '../state.js';
import { AgentKind, AgentScript, type RoadMap, type WorldState } from '../types.js';

export const CAR_LENGTH = 5; // [m] (highway-env)
export const CAR_WIDTH = 2; // [m]
export const PEDESTRIAN_SIZE = 0.6; // [m] side of a pedestrian's box
export const WALKING_SPEED = 1.4; // [m/s]

/** One agent to place: a pose (from a lane or free) and what it means to do. */
export interface AgentSpec {
  readonly kind: AgentKind;
  readonly x: number;
  readonly y: number;
  readonly heading: number;
  readonly speed: number;
  readonly length: number;
  readonly width: number;
  readonly laneId: number;
  readonly laneS: number;
  readonly desiredSpeed: number;
  readonly flags?: number;
  readonly script?: AgentScript;
  readonly scriptTime?: number; // [s]
  readonly scriptValue?: number;
  readonly remaining?: number; // [m]
  readonly routeSeed?: number;
}

/** A vehicle (or ego) on lane `laneId` at arc length s, moving at `speed`, wanting `desiredSpeed`. */
export function onLane(
  map: RoadMap,
  laneId: number,
  s: number,
  speed: number,
  extra: Partial<AgentSpec> = {},
): AgentSpec {
  const pose = lanePose(map.lanes[laneId], s);
  return {
    kind: AgentKind.vehicle,
    x: pose.x,
    y: pose.y,
    heading: pose.heading,
    speed,
    length: CAR_LENGTH,
    width: CAR_WIDTH,
    laneId,
    laneS: s,
    desiredSpeed: speed,
    ...extra,
  };
}

/** A pedestrian at (x, y) who walks `distance` metres along `heading` from `startTime`. */
export function walker(
  x: number,
  y: number,
  heading: number,
  startTime: number,
  distance: number,
): AgentSpec {
  return {
    kind: AgentKind.pedestrian,
    x,
    y,
    heading,
    speed: 0,
    length: PEDESTRIAN_SIZE,
    width: PEDESTRIAN_SIZE,
    laneId: -1,
    laneS: 0,
    desiredSpeed: WALKING_SPEED,
    script: AgentScript.walk,
    scriptTime: startTime,
    remaining: distance,
  };
}

/** The initial state: ego first, then the others in order; lights at t = 0. */
export function initialState(map: RoadMap, ego: AgentSpec, others: readonly AgentSpec[]): WorldState {
  const specs = [{ ...ego, kind: AgentKind.ego }, ...others];
  const agents = allocAgents(specs.length);
  const intents = allocIntents(specs.length);
  specs.forEach((spec, i) => {
    agents.kind[i] = spec.kind;
    agents.valid[i] = 1;
    agents.x[i] = spec.x;
    agents.y[i] = spec.y;
    agents.heading[i] = spec.heading;
    agents.speed[i] = spec.speed;
    agents.length[i] = spec.length;
    agents.width[i] = spec.width;
    agents.laneId[i] = spec.laneId;
    agents.laneS[i] = spec.laneS;
    intents.desiredSpeed[i] = spec.desiredSpeed;
    intents.flags[i] = spec.flags ?? 0;
    intents.script[i] = spec.script ?? AgentScript.none;
    intents.scriptTime[i] = spec.scriptTime ?? Number.POSITIVE_INFINITY;
    intents.scriptValue[i] = spec.scriptValue ?? 0;
    intents.remaining[i] = spec.remaining ?? 0;
    intents.routeSeed[i] = spec.routeSeed ?? i;
  });
  return { step: 0, t: 0, agents, intents, lights: lightStates(map, 0) };
}

export interface TrafficSpec {
  readonly lanes: readonly number[];
  readonly spacing: readonly [number, number]; // [m] range of centre-to-centre spacing along a lane
  readonly speedFactor: readonly [number, number]; // desired speed as a range of fractions of the limit
  readonly keepClear: readonly { laneId: number; from: number; to: number }[]; // arc-length windows left empty
}

/** Vehicles along each lane at seeded spacings, starting at their desired speeds. */
export function fillLanes(map: RoadMap, spec: TrafficSpec, rng: Rng): AgentSpec[] {
  const out: AgentSpec[] = [];
  for (const laneId of spec.lanes) {
    const lane = map.lanes[laneId];
    for (
      let s = rng.uniform(5, spec.spacing[1]);
      s < lane.length - CAR_LENGTH;
      s += rng.uniform(...spec.spacing)
    ) {
      if (spec.keepClear.some((k) => k.laneId === laneId && s > k.from && s < k.to)) continue;
      const speed = lane.speedLimit * rng.uniform(...spec.speedFactor);
      out.push(onLane(map, laneId, s, speed, { routeSeed: rng.nextUint32() }));
    }
  }
  return out;
}
