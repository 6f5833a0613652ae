// What stands in the expert's way along its reference path: the nearest agent in its corridor now (a leader to
// follow) and agents predicted to cross the corridor before ego is through (to yield to). Privileged: it reads
// every agent's lane, speed and whether it obeys lights. Not speed control (expert.ts) nor the path (path.ts).

import { wrapAngle } from '../../../core/angle.js';
import { lanePose } from '../../road/geometry.js';
import { AgentFlag, AgentKind, LightColour, type RoadMap, type WorldState } from '../../types.js';
import { LanePath } from '../lane-path.js';
import { PATH_SPACING, type PathSamples } from './path.js';

const CORRIDOR_MARGIN = 0.4; // [m] added to both half widths when deciding an agent is in ego's way
/** [s] prediction times for crossing agents: fine enough that a car at 15 m/s cannot jump ego's corridor. */
const HORIZONS = Array.from({ length: 24 }, (_, i) => 0.25 * (i + 1));
const CLEAR_MARGIN = 1; // [s] ego must be through a conflict this long before the other arrives
const CROSSING_ACCEL = 2; // [m/s2] ego is assumed to pull away through a conflict accelerating at this
const PULL_AWAY_SPEED = 4; // [m/s] above this ego is assumed to keep its speed through a conflict
const CROSSING = Math.cos(Math.PI / 4); // agents more than 45 deg off the path cross it rather than follow it
const FOLLOWER_ANGLE = Math.PI / 6; // [rad] agents behind ego heading within this of the path follow it

/** The nearest thing ahead: bumper gap from ego's front [m] and its speed along the path [m/s]. */
export interface Obstruction {
  gap: number;
  speed: number;
  agent: number; // -1: none
  /** The agent is stalled or a static obstacle: worth driving around. */
  blocking: boolean;
  /** Ego yields to a crossing agent: it must not pull away until the way is clear. */
  yielding: boolean;
}

interface PathHit {
  distance: number; // [m] along the path from ego's centre to the agent's centre
  lateral: number; // [m]
  headingOffset: number; // [rad] agent heading minus path heading there
}

const hit: PathHit = { distance: 0, lateral: 0, headingOffset: 0 };

/** Locates (x, y) against the path: the nearest sample; false when it lies before or beyond the sampled path. */
function onPath(path: PathSamples, x: number, y: number, heading: number): boolean {
  let best = -1;
  let bestD2 = Number.POSITIVE_INFINITY;
  for (let k = 0; k < path.count; k += 1) {
    const dx = x - path.x[k];
    const dy = y - path.y[k];
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) {
      bestD2 = d2;
      best = k;
    }
  }
  if (best < 0) return false;
  const c = Math.cos(path.heading[best]);
  const s = Math.sin(path.heading[best]);
  const dx = x - path.x[best];
  const dy = y - path.y[best];
  const along = dx * c + dy * s;
  if ((best === 0 && along < -PATH_SPACING) || (best === path.count - 1 && along > PATH_SPACING))
    return false;
  hit.distance = best * PATH_SPACING + along;
  hit.lateral = -dx * s + dy * c;
  hit.headingOffset = wrapAngle(heading - path.heading[best]);
  return true;
}

/** Half of an agent's extent across (0) or along (1) the path, given its heading offset. */
function halfExtent(length: number, width: number, headingOffset: number, along: boolean): number {
  const c = Math.abs(Math.cos(headingOffset));
  const s = Math.abs(Math.sin(headingOffset));
  return along ? (c * length + s * width) / 2 : (s * length + c * width) / 2;
}

/**
 * Where vehicle j will be tau seconds on, at its current speed along its own lanes, stopping at a red or yellow
 * line it obeys; pedestrians and lane-less agents go straight. Its lanes and stopping distance are worked out
 * once per agent (begin), then read at every horizon (at).
 */
class Prediction {
  private readonly path = new LanePath();
  private j = -1;
  private onLanes = false;
  private limit = Number.POSITIVE_INFINITY; // [m] of travel before the line it stops at

  begin(map: RoadMap, state: WorldState, j: number): void {
    const a = state.agents;
    const v = a.speed[j];
    this.j = j;
    this.onLanes = a.laneId[j] >= 0 && a.kind[j] !== AgentKind.pedestrian;
    this.limit = Number.POSITIVE_INFINITY;
    if (!this.onLanes) return;
    const path = this.path;
    path.fill(map, a.laneId[j], a.laneS[j], state.intents.routeSeed[j], v * HORIZONS[HORIZONS.length - 1]);
    if ((state.intents.flags[j] & AgentFlag.ignoresLights) !== 0) return;
    for (let k = 0; k < path.count; k++) {
      const stop = map.lanes[path.lanes[k]].stopLine;
      if (!stop || stop.lightId < 0 || state.lights[stop.lightId] === LightColour.green) continue;
      const toLine = path.offsets[k] + stop.s - a.length[j] / 2;
      if (toLine > 0 && (state.lights[stop.lightId] === LightColour.red || v * v < 6 * toLine))
        this.limit = Math.min(this.limit, toLine);
    }
  }

  /** The predicted pose after tau seconds into `out` ([x, y, heading]). */
  at(map: RoadMap, state: WorldState, tau: number, out: Float64Array): void {
    const a = state.agents;
    const j = this.j;
    const travel = a.speed[j] * tau;
    if (!this.onLanes) {
      out[0] = a.x[j] + Math.cos(a.heading[j]) * travel;
      out[1] = a.y[j] + Math.sin(a.heading[j]) * travel;
      out[2] = a.heading[j];
      return;
    }
    const path = this.path;
    const s = Math.min(travel, this.limit);
    let k = 0;
    while (k + 1 < path.count && path.offsets[k + 1] <= s) k++;
    const pose = lanePose(map.lanes[path.lanes[k]], s - path.offsets[k]);
    out[0] = pose.x;
    out[1] = pose.y;
    out[2] = pose.heading;
  }
}

const prediction = new Prediction();
const predicted = new Float64Array(3);

/**
 * The nearest obstruction on the path: agents in the corridor now (followed at their speed along the path) and
 * agents predicted to enter it where ego would not be through CLEAR_MARGIN seconds before them (yielded to, as
 * a stop short of where they cross).
 */
export function findObstruction(
  map: RoadMap,
  state: WorldState,
  path: PathSamples,
  out: Obstruction,
): Obstruction {
  const a = state.agents;
  const egoHalfLength = a.length[0] / 2;
  const egoHalfWidth = a.width[0] / 2;
  const egoSpeed = a.speed[0];
  const reach = path.count * PATH_SPACING + 6 * 30; // [m] nothing farther can matter within the horizons
  out.gap = Number.POSITIVE_INFINITY;
  out.speed = 0;
  out.agent = -1;
  out.blocking = false;
  out.yielding = false;
  for (let j = 1; j < a.count; j++) {
    if (a.valid[j] === 0) continue;
    const dx = a.x[j] - a.x[0];
    const dy = a.y[j] - a.y[0];
    if (dx * dx + dy * dy > reach * reach) continue;
    const lengthJ = a.length[j];
    const widthJ = a.width[j];
    if (onPath(path, a.x[j], a.y[j], a.heading[j])) {
      const across = egoHalfWidth + halfExtent(lengthJ, widthJ, hit.headingOffset, false) + CORRIDOR_MARGIN;
      if (Math.abs(hit.lateral) < across) {
        if (hit.distance <= 0) continue; // beside or behind ego: not in its way ahead
        const crossing = Math.cos(hit.headingOffset) < CROSSING;
        const gap =
          hit.distance -
          egoHalfLength -
          halfExtent(lengthJ, widthJ, hit.headingOffset, true) -
          (crossing ? 2 * CORRIDOR_MARGIN : 0);
        if (gap < out.gap) {
          out.gap = gap;
          out.speed = crossing ? 0 : Math.max(0, a.speed[j] * Math.cos(hit.headingOffset));
          out.agent = j;
          out.blocking =
            a.kind[j] === AgentKind.obstacle || (state.intents.flags[j] & AgentFlag.stalled) !== 0;
          out.yielding = crossing;
        }
        continue;
      }
    }
    // Behind ego and heading its way: a follower, whose prediction would wrongly run through ego.
    const behind = dx * Math.cos(a.heading[0]) + dy * Math.sin(a.heading[0]) < 0;
    if (behind && Math.abs(wrapAngle(a.heading[j] - a.heading[0])) < FOLLOWER_ANGLE) continue;
    if (a.speed[j] < 0.1) continue;
    prediction.begin(map, state, j);
    for (const tau of HORIZONS) {
      prediction.at(map, state, tau, predicted);
      if (!onPath(path, predicted[0], predicted[1], predicted[2]) || hit.distance <= egoHalfLength) continue;
      const across = egoHalfWidth + halfExtent(lengthJ, widthJ, hit.headingOffset, false) + CORRIDOR_MARGIN;
      if (Math.abs(hit.lateral) >= across) continue;
      const alongJ = halfExtent(lengthJ, widthJ, hit.headingOffset, true);
      const through = hit.distance + alongJ + egoHalfLength; // [m] ego drives until its rear has passed
      // [s] at its current speed, or pulling away at CROSSING_ACCEL when slower than that gets it through
      const egoThrough =
        egoSpeed >= PULL_AWAY_SPEED
          ? through / egoSpeed
          : (Math.sqrt(egoSpeed * egoSpeed + 2 * CROSSING_ACCEL * through) - egoSpeed) / CROSSING_ACCEL;
      if (egoThrough + CLEAR_MARGIN < tau) break; // ego is through well before the agent gets there
      const gap = hit.distance - egoHalfLength - alongJ - 2 * CORRIDOR_MARGIN;
      if (gap < out.gap) {
        out.gap = gap;
        out.speed = 0;
        out.agent = j;
        out.blocking = false;
        out.yielding = true;
      }
      break;
    }
  }
  return out;
}
