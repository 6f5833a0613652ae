// Allocation and copying of the struct-of-arrays world state. Not its dynamics (world.ts, agents/).

import type { AgentArrays, AgentIntents, WorldState } from './types.js';

/** Agent arrays for `count` agents, all invalid, zero-filled, lanes -1. */
export function allocAgents(count: number): AgentArrays {
  return {
    count,
    kind: new Uint8Array(count),
    valid: new Uint8Array(count),
    x: new Float32Array(count),
    y: new Float32Array(count),
    heading: new Float32Array(count),
    speed: new Float32Array(count),
    accel: new Float32Array(count),
    yawRate: new Float32Array(count),
    length: new Float32Array(count),
    width: new Float32Array(count),
    laneId: new Int32Array(count).fill(-1),
    laneS: new Float32Array(count),
  };
}

/** Intents for `count` agents: no script, no flags, nothing to walk. */
export function allocIntents(count: number): AgentIntents {
  return {
    desiredSpeed: new Float32Array(count),
    lateral: new Float32Array(count),
    nextLaneCheck: new Float32Array(count),
    flags: new Uint8Array(count),
    script: new Uint8Array(count),
    scriptTime: new Float32Array(count).fill(Number.POSITIVE_INFINITY),
    scriptValue: new Float32Array(count),
    remaining: new Float32Array(count),
    routeSeed: new Uint32Array(count),
  };
}

type Columns = Record<string, unknown>;

/** A deep copy of every typed-array column of `from` (other fields copied by value). */
function copyColumns<T extends object>(from: T): T {
  const out: Columns = {};
  for (const [key, value] of Object.entries(from)) {
    out[key] = ArrayBuffer.isView(value) ? (value as Float32Array).slice() : value;
  }
  return out as T;
}

/** Copies every typed-array column of `from` into the same column of `to` (same agent count). */
function copyColumnsInto<T extends object>(from: T, to: T): void {
  const target = to as Columns;
  for (const [key, value] of Object.entries(from)) {
    if (ArrayBuffer.isView(value)) (target[key] as Float32Array).set(value as Float32Array);
  }
}

/** A deep copy of a state. */
export function cloneState(state: WorldState): WorldState {
  return {
    step: state.step,
    t: state.t,
    agents: copyColumns(state.agents),
    intents: copyColumns(state.intents),
    lights: state.lights.slice(),
  };
}

/** Copies the columns of `from` into `to` (allocated for the same agents and lights); step and t are not copied. */
export function copyStateInto(from: WorldState, to: WorldState): void {
  copyColumnsInto(from.agents, to.agents);
  copyColumnsInto(from.intents, to.intents);
  to.lights.set(from.lights);
}
