// Background traffic for one world step: vehicles follow lanes with IDM, change lanes with MOBIL, obey lights
// (unless scripted not to) and yield to pedestrians ahead; scripted brakes and cut-ins; pedestrians walk.
// Reads the previous state, writes the next one in place. Not ego (world.ts) nor the expert (expert.ts).

import { wrapAngle } from '../../core/angle.js';
import { lanePose, projectNear } from '../road/geometry.js';
import {
  type AgentArrays,
  AgentFlag,
  type AgentIntents,
  AgentKind,
  AgentScript,
  LightColour,
  type RoadMap,
  type WorldState,
} from '../types.js';
import { clipAccel, FREE_ROAD, HIGHWAY_ENV_IDM, type IdmParams, idmAccel } from './idm.js';
import { LaneIndex } from './lane-index.js';
import { LanePath, nextLane } from './lane-path.js';
import { HIGHWAY_ENV_MOBIL, mobilWantsChange } from './mobil.js';

const LOOKAHEAD = 80; // [m] of lanes ahead searched for leaders and stop lines
const STOP_MARGIN = 1.5; // [m] a vehicle stops with its front this far before a stop line
const YELLOW_MAX_DECEL = 3; // [m/s2] stop on yellow only if this suffices
const CURVE_DECEL = 2; // [m/s2] used to slow down ahead of a lower speed limit
const LATERAL_GAIN = 1.5; // [1/s] of the exponential settling of a lane change
const LATERAL_SPEED = 1.6; // [m/s] at most, sideways, during a lane change
const PEDESTRIAN_MARGIN = 1.2; // [m] beside a vehicle's box within which a pedestrian makes it stop
const PEDESTRIAN_LOOKAHEAD = 35; // [m]
const NO_CHANGE_BEFORE_JUNCTION = 40; // [m] before a lane's end into a junction, no lane changes
const EGO_KEEP_OUT = 25; // [m] no lane change into a lane ego is entering this close along it
const EGO_INTRUSION = 0.3; // [m] ego's box reaching this far into a lane makes it a leader there

/** The nearest thing ahead a vehicle must follow or stop for. */
interface Leader {
  distance: number; // centre to centre along the path, as IDM takes it [m]; FREE_ROAD when none
  speed: number; // [m/s]
  agent: number; // agent index, -1 for a stop line or lane end
}

const scratchPath = new LanePath();
const index = new LaneIndex(); // of the state being stepped, rebuilt by stepTraffic

/** Whether a lane ends inside the map with a neighbour that goes on (an acceleration lane): traffic must leave it. */
function laneEndsBeside(map: RoadMap, laneId: number): boolean {
  const lane = map.lanes[laneId];
  return (
    lane.successors.length === 0 &&
    lane.leftNeighbour >= 0 &&
    map.lanes[lane.leftNeighbour].successors.length > 0
  );
}

/** The nearest agent, stop line or lane end ahead of agent i along `path`; `skip` is ignored (-1: none). */
function findLeader(
  map: RoadMap,
  a: AgentArrays,
  intents: AgentIntents,
  lights: Uint8Array,
  i: number,
  path: LanePath,
  skip: number,
  out: Leader,
): Leader {
  out.distance = FREE_ROAD;
  out.speed = 0;
  out.agent = -1;
  const halfLength = a.length[i] / 2;
  // The nearest vehicle ahead is the first one found walking the path's lanes in order.
  for (let k = 0; k < path.count && out.agent < 0; k++) {
    const j = index.ahead(a, path.lanes[k], k === 0 ? -path.offsets[0] : Number.NEGATIVE_INFINITY, i, skip); // from the path's start
    if (j >= 0) setLeader(out, path.offsets[k] + a.laneS[j], a.speed[j], j);
  }
  if (i !== 0 && skip !== 0 && a.valid[0] === 1 && Number.isNaN(path.distanceTo(a.laneId[0], a.laneS[0]))) {
    const d = egoIntrusion(map, a, path);
    if (d > 0) setLeader(out, d, a.speed[0], 0);
  }
  const v = a.speed[i];
  for (let k = 0; k < path.count; k++) {
    const lane = map.lanes[path.lanes[k]];
    const stop = lane.stopLine;
    if (stop && stop.lightId >= 0 && (intents.flags[i] & AgentFlag.ignoresLights) === 0) {
      const toLine = path.offsets[k] + stop.s - halfLength; // front to line [m]
      const colour = lights[stop.lightId];
      const mustStop =
        colour === LightColour.red ||
        (colour === LightColour.yellow && v * v <= 2 * YELLOW_MAX_DECEL * Math.max(toLine, 0.1));
      if (mustStop && toLine > -0.5) stopAt(out, toLine - STOP_MARGIN);
    }
    if (laneEndsBeside(map, lane.id)) stopAt(out, path.offsets[k] + lane.length - halfLength);
  }
  const ch = Math.cos(a.heading[i]);
  const sh = Math.sin(a.heading[i]);
  for (let p = 0; p < index.pedestrians.length; p++) {
    const j = index.pedestrians[p];
    const dx = a.x[j] - a.x[i];
    const dy = a.y[j] - a.y[i];
    const forward = dx * ch + dy * sh;
    if (forward <= halfLength || forward > PEDESTRIAN_LOOKAHEAD) continue;
    const left = -dx * sh + dy * ch;
    if (Math.abs(left) < a.width[i] / 2 + PEDESTRIAN_MARGIN) stopAt(out, forward - halfLength - STOP_MARGIN);
  }
  return out;
}

/**
 * Distance along `path` to ego when ego, still counted in a neighbouring lane, already reaches into the path's
 * first lane (a lane change under way: background drivers see it coming); NaN otherwise. Background vehicles
 * announce their own changes by switching lanes at once, ego cannot, so only ego needs this.
 */
function egoIntrusion(map: RoadMap, a: AgentArrays, path: LanePath): number {
  return path.offsets[0] + egoIntrusionS(map, a, path.lanes[0]);
}

/** Ego's arc length on lane `laneId` when ego reaches into it from a neighbouring lane; NaN otherwise. */
function egoIntrusionS(map: RoadMap, a: AgentArrays, laneId: number): number {
  const lane = map.lanes[laneId];
  const egoLane = a.laneId[0];
  if (egoLane < 0 || (egoLane !== lane.leftNeighbour && egoLane !== lane.rightNeighbour)) return Number.NaN;
  const p = projectNear(lane, a.x[0], a.y[0], a.laneS[0]);
  if (Math.abs(p.lateral) > (lane.width + a.width[0]) / 2 - EGO_INTRUSION) return Number.NaN;
  return p.s;
}

/** Makes agent j, `distance` metres ahead centre to centre, the leader when it is nearer than the current one. */
function setLeader(out: Leader, distance: number, speed: number, j: number): void {
  if (distance < out.distance) {
    out.distance = distance;
    out.speed = speed;
    out.agent = j;
  }
}

/** Makes a stop `distance` metres ahead of the front the leader when it is nearer than the current one. */
function stopAt(out: Leader, distance: number): void {
  // A stopped leader jamDistance beyond the stopping point: IDM's standstill equilibrium puts the front on it.
  const d = distance + HIGHWAY_ENV_IDM.jamDistance;
  if (d < out.distance) {
    out.distance = d;
    out.speed = 0;
    out.agent = -1;
  }
}

/** The free-road speed for agent i: its own desired speed capped by the lane's limit and by slower lanes ahead. */
function desiredSpeed(map: RoadMap, intents: AgentIntents, i: number, path: LanePath): number {
  let v0 = Math.min(intents.desiredSpeed[i], map.lanes[path.lanes[0]].speedLimit);
  for (let k = 1; k < path.count; k++) {
    const limit = map.lanes[path.lanes[k]].speedLimit;
    if (limit < v0)
      v0 = Math.min(v0, Math.sqrt(limit * limit + 2 * CURVE_DECEL * Math.max(0, path.offsets[k])));
  }
  return v0;
}

const leader: Leader = { distance: FREE_ROAD, speed: 0, agent: -1 };
const probe: Leader = { distance: FREE_ROAD, speed: 0, agent: -1 };

/** IDM acceleration of agent i given its leader, unclipped (MOBIL compares these). */
function followAccel(p: IdmParams, speed: number, v0: number, l: Leader): number {
  return idmAccel(p, speed, v0, l.distance, l.speed);
}

/**
 * Agent i's IDM acceleration as if it drove in lane `laneId` at arc length s (for MOBIL), optionally ignoring
 * agent `skip`. Uses the shared scratch path and probe.
 */
function accelInLane(
  map: RoadMap,
  prev: WorldState,
  i: number,
  laneId: number,
  s: number,
  skip: number,
): number {
  const a = prev.agents;
  scratchPath.fill(map, laneId, s, prev.intents.routeSeed[i], LOOKAHEAD);
  findLeader(map, a, prev.intents, prev.lights, i, scratchPath, skip, probe);
  return followAccel(HIGHWAY_ENV_IDM, a.speed[i], desiredSpeed(map, prev.intents, i, scratchPath), probe);
}

/** MOBIL for vehicle i: the neighbour lane to change to, or -1. `selfAccel`: its unclipped IDM acceleration in its lane. */
function chooseLaneChange(map: RoadMap, prev: WorldState, i: number, selfAccel: number): number {
  const a = prev.agents;
  const laneId = a.laneId[i];
  const lane = map.lanes[laneId];
  const oldFollower = index.behind(a, laneId, a.laneS[i], i);
  const oldFollowerBefore =
    oldFollower >= 0 ? accelInLane(map, prev, oldFollower, laneId, a.laneS[oldFollower], -1) : 0;
  const oldFollowerAfter =
    oldFollower >= 0 ? accelInLane(map, prev, oldFollower, laneId, a.laneS[oldFollower], i) : 0;
  let best = -1;
  let bestGain = Number.NEGATIVE_INFINITY;
  for (const target of [lane.leftNeighbour, lane.rightNeighbour]) {
    if (target < 0 || map.lanes[target].kind !== 'road' || laneEndsBeside(map, target)) continue;
    const s = projectNear(map.lanes[target], a.x[i], a.y[i], a.laneS[i]).s;
    if (Math.abs(egoIntrusionS(map, a, target) - s) < EGO_KEEP_OUT) continue; // ego is moving in there
    const selfAfter = accelInLane(map, prev, i, target, s, -1);
    if (probe.agent >= 0 && probe.distance <= (a.length[i] + a.length[probe.agent]) / 2) continue; // overlap
    const follower = index.behind(a, target, s, i);
    let newFollowerBefore = 0;
    let newFollowerAfter = 0;
    if (follower >= 0) {
      const behind = s - a.laneS[follower]; // [m] centre to centre
      if (behind <= (a.length[i] + a.length[follower]) / 2) continue; // the boxes would overlap
      newFollowerBefore = accelInLane(map, prev, follower, target, a.laneS[follower], -1);
      newFollowerAfter = idmAccel(
        HIGHWAY_ENV_IDM,
        a.speed[follower],
        prev.intents.desiredSpeed[follower],
        behind,
        a.speed[i],
      );
    }
    const accels = {
      selfBefore: selfAccel,
      selfAfter,
      newFollowerBefore,
      newFollowerAfter,
      oldFollowerBefore,
      oldFollowerAfter,
    };
    if (!mobilWantsChange(HIGHWAY_ENV_MOBIL, accels)) continue;
    const gain = selfAfter - selfAccel;
    if (gain > bestGain) {
      bestGain = gain;
      best = target;
    }
  }
  return best;
}

/** Switches vehicle i (in `next`) to lane `target`; the lateral offset keeps its position and then settles. */
function changeLane(map: RoadMap, next: WorldState, i: number, target: number): void {
  const a = next.agents;
  const p = projectNear(map.lanes[target], a.x[i], a.y[i], a.laneS[i]);
  a.laneId[i] = target;
  a.laneS[i] = p.s;
  next.intents.lateral[i] = p.lateral;
}

/** Whether vehicle i may consider a lane change now. */
function mayChangeLanes(map: RoadMap, prev: WorldState, i: number, path: LanePath): boolean {
  const a = prev.agents;
  const it = prev.intents;
  if (prev.t < it.nextLaneCheck[i] || a.speed[i] < HIGHWAY_ENV_MOBIL.minSpeed) return false;
  if ((it.flags[i] & AgentFlag.noLaneChange) !== 0 || Math.abs(it.lateral[i]) > 0.3) return false;
  const lane = map.lanes[a.laneId[i]];
  if (lane.kind !== 'road') return false;
  const next = path.count > 1 ? map.lanes[path.lanes[1]] : null;
  return !(next && next.kind === 'connector' && lane.length - a.laneS[i] < NO_CHANGE_BEFORE_JUNCTION);
}

/** Moves vehicle i along its lanes with acceleration `accel` for dt seconds, in `next`. */
function advanceVehicle(
  map: RoadMap,
  prev: WorldState,
  next: WorldState,
  i: number,
  accel: number,
  dt: number,
): void {
  const a = next.agents;
  const it = next.intents;
  const v0 = prev.agents.speed[i];
  const v1 = Math.max(0, v0 + accel * dt);
  const ds = 0.5 * (v0 + v1) * dt;
  let s = a.laneS[i] + ds;
  let laneId = a.laneId[i];
  while (s > map.lanes[laneId].length) {
    const following = nextLane(map, laneId, it.routeSeed[i]);
    if (following < 0) {
      a.valid[i] = 0; // drove off the map
      return;
    }
    s -= map.lanes[laneId].length;
    laneId = following;
  }
  const d0 = it.lateral[i];
  const dd = -Math.max(-LATERAL_SPEED, Math.min(LATERAL_SPEED, LATERAL_GAIN * d0)) * dt;
  const d1 = Math.abs(d0 + dd) < 0.01 ? 0 : d0 + dd;
  const pose = lanePose(map.lanes[laneId], s);
  const heading = wrapAngle(pose.heading + Math.atan2(d1 - d0, Math.max(ds, 0.05)));
  a.laneId[i] = laneId;
  a.laneS[i] = s;
  a.x[i] = pose.x - Math.sin(pose.heading) * d1;
  a.y[i] = pose.y + Math.cos(pose.heading) * d1;
  a.yawRate[i] = wrapAngle(heading - prev.agents.heading[i]) / dt;
  a.heading[i] = heading;
  a.speed[i] = v1;
  a.accel[i] = (v1 - v0) / dt;
  it.lateral[i] = d1;
}

const ownPath = new LanePath();

/** Vehicle i for one step: stalled, scripted brake or cut-in, else IDM with MOBIL. */
function stepVehicle(map: RoadMap, prev: WorldState, next: WorldState, i: number, dt: number): void {
  const a = prev.agents;
  const it = prev.intents;
  if ((it.flags[i] & AgentFlag.stalled) !== 0) {
    next.agents.speed[i] = 0;
    next.agents.accel[i] = 0;
    next.agents.yawRate[i] = 0;
    return;
  }
  ownPath.fill(map, a.laneId[i], a.laneS[i], it.routeSeed[i], LOOKAHEAD);
  findLeader(map, a, it, prev.lights, i, ownPath, -1, leader);
  const idm = followAccel(HIGHWAY_ENV_IDM, a.speed[i], desiredSpeed(map, it, i, ownPath), leader);
  let accel = clipAccel(HIGHWAY_ENV_IDM, idm);
  const scripted = prev.t >= it.scriptTime[i];
  if (it.script[i] === AgentScript.brake && scripted) {
    accel = a.speed[i] > 0 ? -it.scriptValue[i] : 0;
  } else if (it.script[i] === AgentScript.cutIn && scripted) {
    const lane = map.lanes[a.laneId[i]];
    const target = it.scriptValue[i] > 0 ? lane.leftNeighbour : lane.rightNeighbour;
    if (target >= 0) changeLane(map, next, i, target);
    next.intents.script[i] = AgentScript.none;
  } else if (mayChangeLanes(map, prev, i, ownPath)) {
    next.intents.nextLaneCheck[i] = prev.t + HIGHWAY_ENV_MOBIL.checkInterval;
    const target = chooseLaneChange(map, prev, i, idm);
    if (target >= 0) changeLane(map, next, i, target);
  }
  advanceVehicle(map, prev, next, i, accel, dt);
}

/** Pedestrian i walks straight along its heading from its script time until it has covered its distance. */
function stepPedestrian(prev: WorldState, next: WorldState, i: number, dt: number): void {
  const it = prev.intents;
  const a = next.agents;
  let speed = 0;
  if (prev.t >= it.scriptTime[i] && it.remaining[i] > 0) {
    const step = Math.min(it.remaining[i], it.desiredSpeed[i] * dt);
    a.x[i] += Math.cos(a.heading[i]) * step;
    a.y[i] += Math.sin(a.heading[i]) * step;
    next.intents.remaining[i] = it.remaining[i] - step;
    speed = step / dt;
  }
  a.accel[i] = (speed - prev.agents.speed[i]) / dt;
  a.speed[i] = speed;
}

/**
 * Moves every background agent one step of dt seconds: reads `prev`, writes `next` (a copy of prev on entry).
 * Ego (agent 0) and obstacles are left alone.
 */
export function stepTraffic(map: RoadMap, prev: WorldState, next: WorldState, dt: number): void {
  const a = prev.agents;
  index.build(a, map.lanes.length);
  for (let i = 0; i < a.count; i++) {
    if (a.valid[i] === 0) continue;
    const kind = a.kind[i];
    if (kind === AgentKind.vehicle || kind === AgentKind.cyclist) stepVehicle(map, prev, next, i, dt);
    else if (kind === AgentKind.pedestrian) stepPedestrian(prev, next, i, dt);
  }
}
