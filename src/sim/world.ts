// The world's dynamics for one scenario: step(state, action) -> next state. Ego moves by the kinematic bicycle
// under the action, background agents by their behaviour models, lights by their controllers. Deterministic:
// all randomness is drawn when the scenario is made. Not scenario construction (scenarios/) nor scoring (metrics/).

import { type BicycleState, bicycleStep } from './agents/bicycle.js';
import { stepTraffic } from './agents/traffic.js';
import { projectNear } from './road/geometry.js';
import { locate } from './road/lane-graph.js';
import { lightStates } from './road/lights.js';
import { cloneState, copyStateInto } from './state.js';
import { DT, type EgoAction, type RoadMap, type Route, type Scenario, type WorldState } from './types.js';

const EGO = 0;

export class World {
  private readonly ego: BicycleState = { x: 0, y: 0, heading: 0, speed: 0 };

  constructor(readonly scenario: Scenario) {}

  /** The next state; `state` is left untouched. */
  step(state: WorldState, action: EgoAction): WorldState {
    const next = cloneState(state);
    this.advance(state, action, next);
    return next;
  }

  /** The next state written into `next` (a state of the same scenario, overwritten), without allocating. */
  stepInto(state: WorldState, action: EgoAction, next: WorldState): void {
    copyStateInto(state, next);
    this.advance(state, action, next);
  }

  private advance(prev: WorldState, action: EgoAction, next: WorldState): void {
    const { map, route } = this.scenario;
    stepTraffic(map, prev, next, DT);
    this.moveEgo(prev, action, next);
    trackEgoLane(map, route, next);
    next.step = prev.step + 1;
    next.t = next.step * DT;
    lightStates(map, next.t, next.lights);
  }

  private moveEgo(prev: WorldState, action: EgoAction, next: WorldState): void {
    const a = prev.agents;
    const n = next.agents;
    const ego = this.ego;
    ego.x = a.x[EGO];
    ego.y = a.y[EGO];
    ego.heading = a.heading[EGO];
    ego.speed = a.speed[EGO];
    n.yawRate[EGO] = bicycleStep(ego, action.accel, action.curvature, a.length[EGO], DT);
    n.x[EGO] = ego.x;
    n.y[EGO] = ego.y;
    n.heading[EGO] = ego.heading;
    n.accel[EGO] = (ego.speed - a.speed[EGO]) / DT;
    n.speed[EGO] = ego.speed;
  }
}

/**
 * Keeps ego's laneId and laneS current, so background traffic sees it as a leader: near its last lane first,
 * then that lane's route successor, then its neighbours, else a full search of the map.
 */
function trackEgoLane(map: RoadMap, route: Route, state: WorldState): void {
  const a = state.agents;
  const x = a.x[EGO];
  const y = a.y[EGO];
  const current = a.laneId[EGO];
  const fits = (laneId: number, hint: number): boolean => {
    if (laneId < 0) return false;
    const lane = map.lanes[laneId];
    const p = projectNear(lane, x, y, hint);
    if (p.s < 0 || p.s > lane.length || Math.abs(p.lateral) > lane.width / 2) return false;
    a.laneId[EGO] = laneId;
    a.laneS[EGO] = p.s;
    return true;
  };
  if (current >= 0) {
    const lane = map.lanes[current];
    const k = route.laneIds.indexOf(current);
    const successor =
      k >= 0 && k + 1 < route.laneIds.length ? route.laneIds[k + 1] : (lane.successors[0] ?? -1);
    if (fits(current, a.laneS[EGO]) || fits(successor, 0)) return;
    if (fits(lane.leftNeighbour, a.laneS[EGO]) || fits(lane.rightNeighbour, a.laneS[EGO])) return;
  }
  const here = locate(map, x, y, a.heading[EGO]);
  a.laneId[EGO] = here ? here.laneId : -1;
  a.laneS[EGO] = here ? here.s : 0;
}
