// The scene at one instant as every sensor reads it: map, route, light colours and the agents (agent 0 is ego).
// Built from a logged episode (data generation) or from a live WorldState (closed loop). Not a renderer.

import { assert } from '../core/assert.js';
import { allocAgents } from '../sim/state.js';
import type { EpisodeLog, RoadMap, Route, Scenario, WorldState } from '../sim/types.js';

/** The agent columns a sensor needs, each of length `count`; a WorldState's AgentArrays is one. */
export interface SceneAgents {
  readonly count: number;
  readonly kind: Uint8Array; // AgentKind
  readonly valid: Uint8Array;
  readonly x: Float32Array; // [m]
  readonly y: Float32Array; // [m]
  readonly heading: Float32Array; // [rad]
  readonly length: Float32Array; // [m]
  readonly width: Float32Array; // [m]
  readonly speed: Float32Array; // [m/s]
  readonly accel: Float32Array; // [m/s2]
  readonly yawRate: Float32Array; // [rad/s]
}

export interface SceneSnapshot {
  readonly map: RoadMap;
  readonly route: Route;
  readonly lights: Uint8Array; // (L,) LightColour per RoadMap.lights entry
  readonly agents: SceneAgents;
}

/** Reusable storage for snapshotFromLog, so a render loop allocates nothing per frame. */
export interface SnapshotBuffer {
  agents: SceneAgents;
  lights: Uint8Array;
}

export function createSnapshotBuffer(): SnapshotBuffer {
  return { agents: allocAgents(0), lights: new Uint8Array(0) };
}

/**
 * The scene at `step` of an episode log ((A, T) agent-major fields, index a * (steps + 1) + t; lights (L, T)).
 * With `buffer`, the columns are written into it (resized when the agent or light count changes) and the
 * snapshot aliases it until the next call with the same buffer.
 */
export function snapshotFromLog(
  scenario: Scenario,
  log: EpisodeLog,
  step: number,
  buffer: SnapshotBuffer = createSnapshotBuffer(),
): SceneSnapshot {
  assert(
    Number.isInteger(step) && step >= 0 && step <= log.steps,
    () => `step ${step} is outside the log's 0..${log.steps}`,
  );
  const t = log.steps + 1;
  const lightCount = scenario.map.lights.length;
  assert(
    log.lights.length === lightCount * t,
    () => `log has ${log.lights.length / t} light rows, the map has ${lightCount} lights`,
  );
  if (buffer.agents.count !== log.agents) buffer.agents = allocAgents(log.agents);
  if (buffer.lights.length !== lightCount) buffer.lights = new Uint8Array(lightCount);
  const a = buffer.agents;
  for (let i = 0; i < log.agents; i++) {
    const k = i * t + step;
    a.kind[i] = log.kind[i]!;
    a.length[i] = log.length[i]!;
    a.width[i] = log.width[i]!;
    a.valid[i] = log.valid[k]!;
    a.x[i] = log.x[k]!;
    a.y[i] = log.y[k]!;
    a.heading[i] = log.heading[k]!;
    a.speed[i] = log.speed[k]!;
    a.accel[i] = log.accel[k]!;
    a.yawRate[i] = log.yawRate[k]!;
  }
  for (let l = 0; l < lightCount; l++) buffer.lights[l] = log.lights[l * t + step]!;
  return { map: scenario.map, route: scenario.route, lights: buffer.lights, agents: a };
}

/** The scene of a live world state; aliases the state's arrays (no copy). */
export function snapshotFromState(scenario: Scenario, state: WorldState): SceneSnapshot {
  assert(
    state.lights.length === scenario.map.lights.length,
    () => `state has ${state.lights.length} lights, the map has ${scenario.map.lights.length}`,
  );
  return { map: scenario.map, route: scenario.route, lights: state.lights, agents: state.agents };
}
