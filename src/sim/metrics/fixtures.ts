// Hand-built roads, scenarios and episode logs for the metric tests: a straight two-way road with a signalised
// stop line, and a log builder from per-agent motion functions. Test support only; no scenario family uses it.

import { wrapAngle } from '../../core/angle.js';
import { allocAgents, allocIntents } from '../state.js';
import {
  AgentKind,
  DT,
  type EpisodeLog,
  type Lane,
  type PlanLog,
  type RoadMap,
  type Scenario,
} from '../types.js';

export const LANE_WIDTH = 3.5; // [m]
export const ROAD_LENGTH = 200; // [m]
export const STOP_S = 100; // [m] arc length of the stop line on lane 0

function straightLane(id: number, x0: number, x1: number, y: number, oncoming: number, stop: boolean): Lane {
  const count = 21;
  const points = new Float32Array(count * 2);
  const s = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    points[2 * i] = x0 + ((x1 - x0) * i) / (count - 1);
    points[2 * i + 1] = y;
    s[i] = (Math.abs(x1 - x0) * i) / (count - 1);
  }
  const half = LANE_WIDTH / 2;
  return {
    id,
    kind: 'road',
    points,
    s,
    length: Math.abs(x1 - x0),
    width: LANE_WIDTH,
    speedLimit: 15,
    successors: [],
    predecessors: [],
    leftNeighbour: -1,
    rightNeighbour: -1,
    oncoming,
    stopLine: stop
      ? { s: STOP_S, lightId: 0, segment: [x0 + STOP_S, y - half, x0 + STOP_S, y + half] }
      : null,
    junctionId: -1,
  };
}

/**
 * A straight two-way road along +x: lane 0 eastbound centred on y = 0 with a stop line at x = 100 governed by
 * light 0; lane 1 westbound centred on y = 3.5. Drivable from y = -1.75 to y = 5.25, x = 0 to 200.
 */
export function twoWayRoad(): RoadMap {
  const resolution = 0.5; // [m]
  const originX = 0;
  const originY = -LANE_WIDTH / 2;
  const cols = ROAD_LENGTH / resolution;
  const rows = (2 * LANE_WIDTH) / resolution;
  return {
    lanes: [
      straightLane(0, 0, ROAD_LENGTH, 0, 1, true),
      straightLane(1, ROAD_LENGTH, 0, LANE_WIDTH, 0, false),
    ],
    junctions: [],
    lights: [
      {
        id: 0,
        junctionId: -1,
        controllerId: 0,
        phaseGroup: 0,
        position: [STOP_S, -2],
        height: 5,
        laneIds: [0],
      },
    ],
    controllers: [{ id: 0, junctionId: -1, groups: 2, green: 10, yellow: 3, allRed: 1, offset: 0 }],
    crosswalks: [],
    drivable: { originX, originY, resolution, cols, rows, cells: new Uint8Array(cols * rows).fill(1) },
    bounds: [0, originY, ROAD_LENGTH, originY + 2 * LANE_WIDTH],
  };
}

/** Motion of one agent: its state at step t. */
export interface AgentMotion {
  readonly kind?: AgentKind; // default vehicle (ego for agent 0)
  readonly length?: number; // [m] default 5
  readonly width?: number; // [m] default 2
  /** accel and yawRate default to the change of speed and heading into step t, as the world logs them. */
  at(t: number): {
    x: number;
    y: number;
    heading?: number;
    speed: number;
    accel?: number;
    yawRate?: number;
    valid?: boolean;
  };
}

/** Ego at constant acceleration along the road's lane 0 from x0 with speed v0, stopping at 0 speed. */
export function straightMotion(x0: number, v0: number, accel = 0, y = 0): AgentMotion {
  return {
    at(t) {
      const time = t * DT;
      const stop = accel < 0 ? -v0 / accel : Number.POSITIVE_INFINITY;
      const tau = Math.min(time, stop);
      return { x: x0 + v0 * tau + 0.5 * accel * tau * tau, y, heading: 0, speed: v0 + accel * tau };
    },
  };
}

/** An EpisodeLog of `steps` steps from agent motions (agent 0 is ego) and light colours per (light, step). */
export function buildLog(args: {
  steps: number;
  agents: readonly AgentMotion[];
  lights?: (light: number, t: number) => number;
  lightCount?: number;
  plans?: PlanLog;
}): EpisodeLog {
  const a = args.agents.length;
  const n = args.steps + 1;
  const lightCount = args.lightCount ?? 1;
  const log = {
    family: 'nominal-urban' as const,
    seed: 0,
    agents: a,
    steps: args.steps,
    kind: new Uint8Array(a),
    length: new Float32Array(a),
    width: new Float32Array(a),
    valid: new Uint8Array(a * n),
    x: new Float32Array(a * n),
    y: new Float32Array(a * n),
    heading: new Float32Array(a * n),
    speed: new Float32Array(a * n),
    accel: new Float32Array(a * n),
    yawRate: new Float32Array(a * n),
    lights: new Uint8Array(lightCount * n),
    egoAccelCmd: new Float32Array(args.steps),
    egoCurvatureCmd: new Float32Array(args.steps),
    plans: args.plans ?? null,
  };
  args.agents.forEach((m, i) => {
    log.kind[i] = i === 0 ? AgentKind.ego : (m.kind ?? AgentKind.vehicle);
    log.length[i] = m.length ?? 5;
    log.width[i] = m.width ?? 2;
    for (let t = 0; t < n; t++) {
      const s = m.at(t);
      const k = i * n + t;
      log.valid[k] = s.valid === false ? 0 : 1;
      log.x[k] = s.x;
      log.y[k] = s.y;
      log.heading[k] = s.heading ?? 0;
      log.speed[k] = s.speed;
    }
    for (let t = 0; t < n; t++) {
      const s = m.at(t);
      const k = i * n + t;
      const from = Math.max(1, t); // state 0 takes the first step's rates
      const prev = i * n + from - 1;
      const next = i * n + Math.min(from, n - 1);
      log.accel[k] = s.accel ?? (n > 1 ? (log.speed[next] - log.speed[prev]) / DT : 0);
      log.yawRate[k] = s.yawRate ?? (n > 1 ? wrapAngle(log.heading[next] - log.heading[prev]) / DT : 0);
    }
  });
  for (let l = 0; l < lightCount; l++)
    for (let t = 0; t < n; t++) log.lights[l * n + t] = args.lights?.(l, t) ?? 0;
  return log;
}

/** A scenario on `map` whose route is `laneIds` and whose initial state does not matter to the metrics. */
export function scenarioOn(map: RoadMap, laneIds: readonly number[] = [0], horizon = 100): Scenario {
  const agents = allocAgents(0);
  return {
    family: 'nominal-urban',
    seed: 0,
    map,
    initial: {
      step: 0,
      t: 0,
      agents,
      intents: allocIntents(agents.count),
      lights: new Uint8Array(map.lights.length),
    },
    route: { laneIds, goal: [ROAD_LENGTH, 0], command: 'follow' },
    instruction: 'Follow the road.',
    horizon,
  };
}
