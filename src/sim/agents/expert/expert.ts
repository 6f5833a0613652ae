// The privileged expert driver (the analogue of nuPlan's PDM-Closed): follows its route's lanes by pure
// pursuit, sets speed by IDM against the nearest obstruction, red or yellow stop line, curve or dead end, yields
// to crossing traffic and pedestrians, and changes lanes when the route asks or a stalled obstacle blocks it.
// It produces the demonstrations everything else learns from. Not the background traffic (traffic.ts).

import { wrapAngle } from '../../../core/angle.js';
import { projectNear } from '../../road/geometry.js';
import { locate, straightestSuccessor } from '../../road/lane-graph.js';
import {
  type Driver,
  type DriverOutput,
  DT,
  LightColour,
  PLAN_EVERY,
  type RoadMap,
  type Route,
  type Scenario,
  type WorldState,
} from '../../types.js';
import { maxCurvature, slipAngle } from '../bicycle.js';
import { FREE_ROAD } from '../idm.js';
import { findObstruction, type Obstruction } from './hazards.js';
import { type LaneChange, PATH_SAMPLES, PATH_SPACING, PathSamples } from './path.js';
import { longitudinalCommand, planAlong, type SpeedTarget, STANDSTILL_GAP } from './speed.js';

const MAX_LATERAL_ACCEL = 2; // [m/s2] sets the speed through curves
const CURVE_BRAKE = 2; // [m/s2] used to slow down before a curve
const STOP_MARGIN = 1; // [m] ego stops with its front this far before a line
const YELLOW_MAX_DECEL = 3; // [m/s2] stop on yellow only if this suffices
const CHAIN_REACH = PATH_SAMPLES * PATH_SPACING + 30; // [m] of lanes kept ahead
const BLOCKED_WITHIN = 60; // [m] a blocking obstacle this close makes the expert change lanes
const LANE_CHANGE_TIME = 2.5; // [s] a lane change takes
const LANE_CHANGE_MIN_LENGTH = 15; // [m] the shortest lane change, from standstill
const BLOCKER_CLEARANCE = 9; // [m] extra standstill gap behind a stalled obstacle: room to pull out
const STEER_OMEGA = 2; // [rad/s] natural frequency of the path-tracking response
const STEER_MIN_SPEED = 2; // [m/s] the speed the steering gains are computed at when slower

export class ExpertDriver implements Driver {
  readonly name = 'expert';
  private chain: number[] = [];
  private change: LaneChange | null = null;
  private accel = 0;
  /** Speed to hold while waiting to merge into a lane the route needs: that lane's traffic [m/s]. */
  private mergeSpeed = Number.POSITIVE_INFINITY;
  private readonly path = new PathSamples();
  private readonly obstruction: Obstruction = {
    gap: 0,
    speed: 0,
    agent: -1,
    blocking: false,
    yielding: false,
  };

  reset(scenario: Scenario): void {
    this.start(scenario.initial.agents.laneId[0], scenario.initial.agents.accel[0]);
  }

  /**
   * Takes the wheel mid-episode in `state` (another driver's): from the lane ego is in, or the lane nearest to it
   * that runs its way. False when ego is in no lane at all (off the road): there is nothing to follow.
   */
  takeOver(scenario: Scenario, state: WorldState): boolean {
    const a = state.agents;
    const lane =
      a.laneId[0] >= 0 ? a.laneId[0] : (locate(scenario.map, a.x[0], a.y[0], a.heading[0])?.laneId ?? -1);
    if (lane < 0) return false;
    this.start(lane, a.accel[0]);
    return true;
  }

  private start(laneId: number, accel: number): void {
    this.chain = [laneId]; // act() extends it along the route
    this.change = null;
    this.mergeSpeed = Number.POSITIVE_INFINITY;
    this.accel = accel;
  }

  act(scenario: Scenario, state: WorldState): DriverOutput {
    const { map } = scenario;
    const a = state.agents;
    this.advanceChain(scenario, a.x[0], a.y[0], this.hint(state));
    const path = this.path;
    path.fill(map, this.chain, a.x[0], a.y[0], this.hint(state), this.change); // the chain may have moved on
    if (this.change && path.egoS > this.change.start + this.change.length) this.change = null;
    findObstruction(map, state, path, this.obstruction);
    if (!this.change) this.considerLaneChange(scenario, state);
    const target = this.speedTarget(map, state);
    this.accel = longitudinalCommand(a.speed[0], this.accel, target, DT);
    const action = { accel: this.accel, curvature: this.steer(state) };
    if (state.step % PLAN_EVERY !== 0) return { action };
    return { action, plan: planAlong(path, a.speed[0], this.accel, target) };
  }

  /** Arc length on the chain's first lane near which to look for ego. */
  private hint(state: WorldState): number {
    return state.agents.laneId[0] === this.chain[0] ? state.agents.laneS[0] : this.path.egoS;
  }

  /** Drops lanes ego has left behind (`hint`: ego's arc length on the first) and extends the chain along the route. */
  private advanceChain(scenario: Scenario, x: number, y: number, hint: number): void {
    const { map, route } = scenario;
    while (this.chain.length > 1) {
      const first = map.lanes[this.chain[0]];
      if (projectNear(first, x, y, hint).s <= first.length) break;
      this.chain.shift();
      this.change = null;
      hint = 0;
    }
    let length = 0;
    for (const id of this.chain) length += map.lanes[id].length;
    while (length < CHAIN_REACH) {
      const last = this.chain[this.chain.length - 1];
      const routeNext = routeAfter(route, last);
      const next = map.lanes[last].successors.includes(routeNext)
        ? routeNext
        : routeNext >= 0
          ? -1
          : straightestSuccessor(map, last);
      if (next < 0) break;
      this.chain.push(next);
      length += map.lanes[next].length;
    }
  }

  /** Starts a lane change the route asks for, or one around a blocking obstacle, when the target lane is clear. */
  private considerLaneChange(scenario: Scenario, state: WorldState): void {
    const { map, route } = scenario;
    const lane = map.lanes[this.chain[0]];
    const routeNext = routeAfter(route, lane.id);
    let targets: number[] = [];
    this.mergeSpeed = Number.POSITIVE_INFINITY;
    if (routeNext >= 0 && (routeNext === lane.leftNeighbour || routeNext === lane.rightNeighbour)) {
      targets = [routeNext];
      this.mergeSpeed = nearestSpeedIn(map, state, routeNext) + MERGE_SPEED_MARGIN;
    } else if (this.obstruction.blocking && this.obstruction.gap < BLOCKED_WITHIN)
      targets = [lane.leftNeighbour, lane.rightNeighbour];
    for (const target of targets) {
      if (target < 0 || map.lanes[target].kind !== 'road' || !laneClear(map, state, target)) continue;
      const a = state.agents;
      const p = projectNear(map.lanes[target], a.x[0], a.y[0], this.path.egoS);
      this.change = {
        start: p.s,
        length: Math.max(LANE_CHANGE_MIN_LENGTH, LANE_CHANGE_TIME * a.speed[0]),
        offset: p.lateral,
      };
      this.chain = [target];
      this.advanceChain(scenario, a.x[0], a.y[0], p.s);
      this.path.fill(map, this.chain, a.x[0], a.y[0], p.s, this.change);
      findObstruction(map, state, this.path, this.obstruction);
      return;
    }
  }

  /**
   * Path tracking: the reference curvature at ego's foot point (feed-forward) plus feedback on the lateral and
   * heading errors, tuned as a critically damped second-order response of natural frequency STEER_OMEGA.
   */
  private steer(state: WorldState): number {
    const a = state.agents;
    const path = this.path;
    if (path.count === 0) return 0;
    const v = Math.max(a.speed[0], STEER_MIN_SPEED);
    // On a curve the centre moves at the slip angle off the body's heading (bicycle model): on the path, the
    // body points that far from the path's direction. The slip comes from the path, not the last command,
    // which would close a loop that is unstable at low speed.
    const slip = slipAngle(path.curvature[0], a.length[0]);
    const headingError = wrapAngle(a.heading[0] + slip - path.heading[0]);
    const w = STEER_OMEGA / v; // [1/m]
    const limit = maxCurvature(a.length[0]);
    const curvature = path.curvature[0] - w * w * path.egoLateral - 2 * w * Math.sin(headingError);
    return Math.max(-limit, Math.min(limit, curvature));
  }

  /** What IDM drives towards: the lowest of lane speed limits and curve speeds ahead; the obstruction; stop lines; dead ends. */
  private speedTarget(map: RoadMap, state: WorldState): SpeedTarget {
    const a = state.agents;
    const path = this.path;
    const v = a.speed[0];
    const halfLength = a.length[0] / 2;
    let v0 = this.change ? Number.POSITIVE_INFINITY : this.mergeSpeed;
    // Behind a stalled obstacle, wait far enough back to steer around it from standstill.
    const clearance = this.obstruction.blocking ? BLOCKER_CLEARANCE : 0;
    let gap = this.obstruction.agent >= 0 ? this.obstruction.gap - clearance : FREE_ROAD;
    let leaderSpeed = this.obstruction.speed;
    const stopAt = (front: number) => {
      if (front < gap) {
        gap = Math.max(front, 0) + STANDSTILL_GAP;
        leaderSpeed = 0;
      }
    };
    let lastLane = -1;
    for (let k = 0; k < path.count; k++) {
      const d = k * PATH_SPACING;
      const lane = map.lanes[path.laneId[k]];
      const curve = Math.sqrt(MAX_LATERAL_ACCEL / Math.max(Math.abs(path.curvature[k]), 1e-4));
      const limit = Math.min(curve, lane.speedLimit);
      v0 = Math.min(v0, Math.sqrt(limit * limit + 2 * CURVE_BRAKE * Math.max(0, d - halfLength)));
      if (lane.id === lastLane) continue;
      lastLane = lane.id;
      const stop = lane.stopLine;
      if (stop && stop.lightId >= 0 && state.lights[stop.lightId] !== LightColour.green) {
        const front = d + stop.s - path.laneS[k] - halfLength - STOP_MARGIN; // [m] from ego's front to stopping point
        const red = state.lights[stop.lightId] === LightColour.red;
        if (front > -STOP_MARGIN && (red || v * v <= 2 * YELLOW_MAX_DECEL * Math.max(front, 0.1)))
          stopAt(front);
      }
    }
    const end = map.lanes[path.laneId[path.count - 1]];
    if (
      path.count > 0 &&
      end.successors.length === 0 &&
      path.laneS[path.count - 1] + PATH_SPACING > end.length &&
      end.leftNeighbour >= 0
    ) {
      stopAt((path.count - 1) * PATH_SPACING - halfLength - STOP_MARGIN); // a lane that ends: wait for a gap
    }
    return { v0, gap, leaderSpeed, yielding: this.obstruction.yielding };
  }
}

const MERGE_HEADWAY = 0.6; // [s] of bumper gap a merge needs on either side, at the rear car's speed
const MERGE_CLOSING = LANE_CHANGE_TIME; // [s] of closing speed added to a gap that shrinks: it does so all change long
const MERGE_MIN_GAP = 2; // [m] bumper to bumper, either side
const MERGE_SPEED_MARGIN = 1; // [m/s] faster than the target lane's traffic while looking for a gap

/** The route's lane after `laneId` (a successor, or a neighbour to change to), or -1. */
function routeAfter(route: Route, laneId: number): number {
  const k = route.laneIds.indexOf(laneId);
  return k >= 0 && k + 1 < route.laneIds.length ? route.laneIds[k + 1] : -1;
}

/** Speed of the vehicle in lane `laneId` nearest to ego, or +Infinity when the lane is empty [m/s]. */
function nearestSpeedIn(map: RoadMap, state: WorldState, laneId: number): number {
  const a = state.agents;
  const s = projectNear(map.lanes[laneId], a.x[0], a.y[0], a.laneS[0]).s;
  let best = Number.POSITIVE_INFINITY;
  let speed = Number.POSITIVE_INFINITY;
  for (let j = 1; j < a.count; j++) {
    if (a.valid[j] === 0 || a.laneId[j] !== laneId || Math.abs(a.laneS[j] - s) >= best) continue;
    best = Math.abs(a.laneS[j] - s);
    speed = a.speed[j];
  }
  return speed;
}

/**
 * Whether lane `target` has room for ego beside it now: a gap acceptance rule on the nearest vehicles ahead and
 * behind there, each bumper gap at least MERGE_MIN_GAP, MERGE_HEADWAY seconds of the rear car's speed, and
 * MERGE_CLOSING seconds of the closing speed. Car-following then reopens the gap to its usual size.
 */
function laneClear(map: RoadMap, state: WorldState, target: number): boolean {
  const a = state.agents;
  const s = projectNear(map.lanes[target], a.x[0], a.y[0], a.laneS[0]).s;
  const v = a.speed[0];
  const lane = map.lanes[target];
  for (let j = 1; j < a.count; j++) {
    if (a.valid[j] === 0) continue;
    // Along the target lane from ego to j [m], counting the lanes just before and after it too.
    let d = Number.NaN;
    if (a.laneId[j] === target) d = a.laneS[j] - s;
    else if (lane.predecessors.includes(a.laneId[j])) d = a.laneS[j] - map.lanes[a.laneId[j]].length - s;
    else if (lane.successors.includes(a.laneId[j])) d = lane.length - s + a.laneS[j];
    if (Number.isNaN(d)) continue;
    const ahead = d >= 0;
    const gap = Math.abs(d) - (a.length[0] + a.length[j]) / 2;
    const rear = ahead ? v : a.speed[j];
    const closing = ahead ? v - a.speed[j] : a.speed[j] - v;
    if (gap < Math.max(MERGE_MIN_GAP, MERGE_HEADWAY * rear + MERGE_CLOSING * Math.max(0, closing)))
      return false;
  }
  return !oncomingNear(state, map.lanes[target].oncoming);
}

/**
 * Whether a vehicle in oncoming lane `laneId` is ahead of ego and would meet it within a lane change's time: a
 * change next to oncoming traffic waits for it to pass (while straddling, ego is exposed to it).
 */
function oncomingNear(state: WorldState, laneId: number): boolean {
  if (laneId < 0) return false;
  const a = state.agents;
  const c = Math.cos(a.heading[0]);
  const s = Math.sin(a.heading[0]);
  for (let j = 1; j < a.count; j++) {
    if (a.valid[j] === 0 || a.laneId[j] !== laneId) continue;
    const ahead = (a.x[j] - a.x[0]) * c + (a.y[j] - a.y[0]) * s;
    const meet = (a.speed[0] + a.speed[j]) * (LANE_CHANGE_TIME + 1) + a.length[j]; // [m]
    if (ahead > -a.length[j] && ahead < meet) return true;
  }
  return false;
}
