// Pieces shared by the junction families: ego's approach and route through a turn, traffic on the arms that can
// stop for the light it starts at, and pedestrians who cross while their crosswalk's road has red.
// Not a family itself (nominal-urban.ts, red-light-runner.ts, unprotected-left.ts).

import type { Rng } from '../../core/rng.js';
import { connectorKey, type Intersection, type Turn } from '../road/layouts/intersection.js';
import { CROSSWALK_WIDTH } from '../road/layouts/street.js';
import { lightColourAt } from '../road/lights.js';
import { DT, LightColour, type RoadMap, type Route } from '../types.js';
import { DEFAULT_HORIZON } from './assemble.js';
import { type AgentSpec, fillLanes, walker } from './cast.js';

const START_BRAKE = 3; // [m/s2] agents start no faster than lets them stop at their stop line with this
const PEDESTRIAN_DELAY: readonly [number, number] = [0.5, 2]; // [s] after their road turns red

export const TURN_COMMAND: Record<Turn, Route['command']> = {
  straight: 'go-straight',
  left: 'turn-left',
  right: 'turn-right',
};

/** Ego's route through the junction: the incoming lane, the connector, the outgoing lane. */
export function routeThrough(junction: Intersection, from: number, laneIndex: number, turn: Turn): number[] {
  const arm = junction.arms.find((a) => a.direction === from)!;
  const connector = junction.connectors.get(connectorKey(from, turn, laneIndex))!;
  return [arm.incoming[laneIndex], connector, junction.map.lanes[connector].successors[0]];
}

/** Arc length of a lane's stop line, or its length when it has none [m]. */
export function stopS(map: RoadMap, laneId: number): number {
  return map.lanes[laneId].stopLine?.s ?? map.lanes[laneId].length;
}

/** Lowers an agent's starting speed so it can stop at its lane's stop line, if it has to at t = 0. */
export function canStop(map: RoadMap, agent: AgentSpec): AgentSpec {
  const stop = map.lanes[agent.laneId].stopLine;
  if (!stop || stop.lightId < 0 || lightColourAt(map, stop.lightId, 0) === LightColour.green) return agent;
  const room = Math.max(0, stop.s - agent.laneS - agent.length / 2);
  return { ...agent, speed: Math.min(agent.speed, Math.sqrt(2 * START_BRAKE * room)) };
}

/** Seeded traffic on the given lanes of a junction, starting at speeds that respect the lights. */
export function junctionTraffic(
  map: RoadMap,
  laneIds: readonly number[],
  keepClear: { laneId: number; from: number; to: number }[],
  rng: Rng,
  spacing: readonly [number, number] = [18, 45], // [m]
): AgentSpec[] {
  return fillLanes(map, { lanes: laneIds, spacing, speedFactor: [0.7, 0.95], keepClear }, rng)
    .filter((agent) => agent.laneS + agent.length / 2 < stopS(map, agent.laneId) - 1) // none over a stop line
    .map((agent) => canStop(map, agent));
}

/** Times [s] within the horizon at which light `lightId` turns red (0 when it starts red). */
function redStarts(map: RoadMap, lightId: number): number[] {
  const starts: number[] = [];
  let before: number = LightColour.green;
  for (let step = 0; step < DEFAULT_HORIZON; step++) {
    const colour = lightColourAt(map, lightId, step * DT);
    if (colour === LightColour.red && before !== LightColour.red) starts.push(step * DT);
    before = colour;
  }
  return starts;
}

/** Up to `perCrosswalk` pedestrians per arm, each crossing its crosswalk soon after the arm's light turns red. */
export function crosswalkPedestrians(junction: Intersection, perCrosswalk: number, rng: Rng): AgentSpec[] {
  const out: AgentSpec[] = [];
  for (const arm of junction.arms) {
    const starts = redStarts(junction.map, arm.lightId);
    if (starts.length === 0) continue;
    const count = rng.int(perCrosswalk + 1);
    const ux = Math.cos((arm.direction * Math.PI) / 2);
    const uy = Math.sin((arm.direction * Math.PI) / 2);
    const roadHalf = arm.incoming.length * junction.map.lanes[arm.incoming[0]].width;
    const along = junction.halfSize + CROSSWALK_WIDTH / 2;
    for (let p = 0; p < count; p++) {
      const side = rng.chance(0.5) ? 1 : -1; // which kerb the pedestrian starts from
      const start = side * (roadHalf + 1);
      const x = ux * along - uy * start;
      const y = uy * along + ux * start;
      const heading = Math.atan2(-side * ux, side * uy);
      const time = rng.pick(starts) + rng.uniform(...PEDESTRIAN_DELAY) + p * rng.uniform(0.5, 1.5);
      out.push(walker(x, y, heading, time, 2 * (roadHalf + 1)));
    }
  }
  return out;
}
