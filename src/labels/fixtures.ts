// Hand-built frames for the label tests: the metric tests' straight two-way road with one signalised stop
// line, and logs of a few agents on it. Test support only; generated data never uses it.

import {
  type AgentMotion,
  buildLog,
  scenarioOn,
  straightMotion,
  twoWayRoad,
} from '../sim/metrics/fixtures.js';
import { AgentKind, LightColour } from '../sim/types.js';
import type { Kinematics } from './action-tokens.js';
import type { LabelFrame } from './frame.js';

export { STOP_S } from '../sim/metrics/fixtures.js';

/** A pedestrian walking across the road at x, from y0, at `speed` [m/s] (positive: leftwards). */
function crossing(x: number, y0: number, speed: number): AgentMotion {
  return {
    kind: AgentKind.pedestrian,
    length: 0.5,
    width: 0.5,
    at: (t) => ({ x, y: y0 + speed * t * 0.1, heading: Math.PI / 2, speed }),
  };
}

/**
 * Ego braking from 12 m/s at x = 60 behind a car queued at x = 85 for the red light at x = 100, a car far
 * ahead on the opposite lane, and a pedestrian crossing at x = 75.
 */
export function redLightFrame(step = 0): LabelFrame {
  const map = twoWayRoad();
  const log = buildLog({
    steps: 80,
    agents: [
      straightMotion(60, 12, -4), // stops after 18 m in 3 s, at x = 78
      straightMotion(85, 0),
      { at: (t) => ({ x: 140 - 10 * t * 0.1, y: 3.5, heading: Math.PI, speed: 10 }) },
      crossing(75, -4.5, 1.2),
    ],
    lights: () => LightColour.red,
  });
  return { scenario: scenarioOn(map), log, step };
}

/** Ego at (10, 20) heading 0.5 rad and one vehicle passing it, for checking the ego-frame transform. */
export function turnedFrame(): LabelFrame {
  const log = buildLog({
    steps: 60,
    agents: [
      { at: () => ({ x: 10, y: 20, heading: 0.5, speed: 0 }) },
      { at: (t) => ({ x: 20 + t * 0.8, y: 30, heading: 0, speed: 8 }) },
    ],
  });
  return { scenario: scenarioOn(twoWayRoad()), log, step: 10 };
}

/** A curvature-driven point mass for exercising the token codec on its own; the lake uses the world's bicycle. */
export const unicycle: Kinematics = {
  forward: (p, accel, curvature, dt) => {
    const speed = Math.max(0, p.speed + accel * dt);
    const v = (p.speed + speed) / 2;
    const heading = p.heading + v * curvature * dt;
    const mid = (p.heading + heading) / 2;
    return { x: p.x + v * Math.cos(mid) * dt, y: p.y + v * Math.sin(mid) * dt, heading, speed };
  },
  inverse: (from, to, dt) => {
    const distance = Math.hypot(to.x - from.x, to.y - from.y);
    const dh = Math.atan2(Math.sin(to.heading - from.heading), Math.cos(to.heading - from.heading));
    return { accel: (to.speed - from.speed) / dt, curvature: distance > 1e-3 ? dh / distance : 0 };
  },
};
