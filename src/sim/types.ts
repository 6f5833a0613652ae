// The simulator's data contract: road map, struct-of-arrays world state, ego action, scenario and episode log.
// Types and tiny constructors only; behaviour lives in road/, agents/, world.ts, metrics/ and scenarios/.
//
// Units everywhere: metres, seconds, radians (counter-clockwise from +x), m/s, m/s2, 1/m for curvature.
// The world frame is right-handed: x east, y north. Agent index 0 is always ego.

/** World step [s]. Every log, metric and label assumes this step. */
export const DT = 0.1;

// ---------------------------------------------------------------------------------------------------------
// Road map

export type LaneKind = 'road' | 'connector'; // connector: a path through a junction, from one road lane to another

export interface Lane {
  readonly id: number; // index into RoadMap.lanes
  readonly kind: LaneKind;
  /** Centreline polyline, (P, 2) row-major: x0, y0, x1, y1, ... [m]; travel direction is point order. */
  readonly points: Float32Array;
  /** Arc length at each centreline point, (P,) [m]; s[0] = 0. */
  readonly s: Float32Array;
  readonly length: number; // [m]
  readonly width: number; // [m]
  readonly speedLimit: number; // [m/s]
  readonly successors: readonly number[]; // lane ids
  readonly predecessors: readonly number[]; // lane ids
  readonly leftNeighbour: number; // same-direction lane to the left, -1 if none
  readonly rightNeighbour: number; // same-direction lane to the right, -1 if none
  /** Lane id of the nearest opposite-direction lane alongside, -1 if none (for driving-direction compliance). */
  readonly oncoming: number;
  /** Where a vehicle on this lane must stop for a light or a crosswalk, or null. */
  readonly stopLine: StopLine | null;
  readonly junctionId: number; // junction this connector crosses; -1 for road lanes
}

export interface StopLine {
  readonly s: number; // arc length along the lane [m]
  readonly lightId: number; // the traffic light governing it; -1 for an unsignalised crosswalk (yield)
  /** Endpoints of the painted line across the lane (x0, y0, x1, y1) [m]. */
  readonly segment: readonly [number, number, number, number];
}

export const LightColour = { green: 0, yellow: 1, red: 2 } as const;
export type LightColour = (typeof LightColour)[keyof typeof LightColour];

export interface TrafficLight {
  readonly id: number; // index into RoadMap.lights and WorldState.lights
  readonly junctionId: number;
  readonly controllerId: number;
  readonly phaseGroup: number; // lights in the same group of a controller are green together
  readonly position: readonly [number, number]; // the light head [m]
  readonly height: number; // head height above ground [m]
  readonly laneIds: readonly number[]; // lanes whose stop line this light governs
}

/** A fixed-time controller: groups take turns green -> yellow -> all-red, in order, starting at `offset`. */
export interface SignalController {
  readonly id: number;
  readonly junctionId: number;
  readonly groups: number;
  readonly green: number; // [s]
  readonly yellow: number; // [s]
  readonly allRed: number; // [s]
  readonly offset: number; // [s] into the cycle at t = 0
}

export type JunctionKind = 'four-way' | 't-junction' | 'merge';

export interface Junction {
  readonly id: number;
  readonly kind: JunctionKind;
  readonly polygon: Float32Array; // (N, 2) outline [m]
  readonly controllerId: number; // -1 when unsignalised
}

export interface Crosswalk {
  readonly id: number;
  readonly polygon: Float32Array; // (4, 2) corners [m], in order
  readonly laneIds: readonly number[]; // lanes it crosses
}

/**
 * A raster over the world plane, row 0 at the bottom (y = originY), for O(1) point tests: cells[row * cols + col].
 * The map's drivable area (1 where drivable) and the sensors' ground textures (bit flags per cell) are such grids.
 */
export interface WorldGrid {
  readonly originX: number; // x of the left edge of column 0 [m]
  readonly originY: number; // y of the bottom edge of row 0 [m]
  readonly resolution: number; // cell side [m]
  readonly cols: number;
  readonly rows: number;
  readonly cells: Uint8Array; // (rows, cols)
}

export interface RoadMap {
  readonly lanes: readonly Lane[];
  readonly junctions: readonly Junction[];
  readonly lights: readonly TrafficLight[];
  readonly controllers: readonly SignalController[];
  readonly crosswalks: readonly Crosswalk[];
  readonly drivable: WorldGrid; // 1 where drivable
  readonly bounds: readonly [number, number, number, number]; // minX, minY, maxX, maxY [m]
}

// ---------------------------------------------------------------------------------------------------------
// World state: struct of arrays over agents, with a valid mask

export const AgentKind = { ego: 0, vehicle: 1, pedestrian: 2, cyclist: 3, obstacle: 4 } as const;
export type AgentKind = (typeof AgentKind)[keyof typeof AgentKind];
export const AGENT_KIND_NAMES = ['ego', 'vehicle', 'pedestrian', 'cyclist', 'obstacle'] as const;

/** Per-agent state, every array of length `count`; agent 0 is ego. Rows with valid = 0 are ignored. */
export interface AgentArrays {
  readonly count: number;
  readonly kind: Uint8Array; // AgentKind
  readonly valid: Uint8Array; // 1 = present in the world this step
  readonly x: Float32Array; // centre of the bounding box [m]
  readonly y: Float32Array; // [m]
  readonly heading: Float32Array; // [rad]
  readonly speed: Float32Array; // signed along heading [m/s]
  readonly accel: Float32Array; // longitudinal, last step [m/s2]
  readonly yawRate: Float32Array; // last step [rad/s]
  readonly length: Float32Array; // [m]
  readonly width: Float32Array; // [m]
  readonly laneId: Int32Array; // lane the agent follows, -1 when off the lane graph (pedestrians, obstacles)
  readonly laneS: Float32Array; // arc length along laneId [m]
}

/** A scripted event that makes a scenario's defining moment happen; background agents otherwise follow IDM/MOBIL. */
export const AgentScript = { none: 0, brake: 1, cutIn: 2, walk: 3 } as const;
export type AgentScript = (typeof AgentScript)[keyof typeof AgentScript];

/** Bits of AgentIntents.flags. */
export const AgentFlag = { ignoresLights: 1, stalled: 2, noLaneChange: 4 } as const;

/**
 * What background agents mean to do, every array of length `count` like AgentArrays. Read and written only by
 * the world's own behaviour models (agents/); sensors and learned drivers never see it.
 */
export interface AgentIntents {
  readonly desiredSpeed: Float32Array; // IDM v0, or a pedestrian's walking speed [m/s]
  readonly lateral: Float32Array; // offset from laneId's centreline while a lane change settles, left positive [m]
  readonly nextLaneCheck: Float32Array; // [s] time of the next MOBIL decision
  readonly flags: Uint8Array; // AgentFlag bits
  readonly script: Uint8Array; // AgentScript
  readonly scriptTime: Float32Array; // [s] when the script starts
  readonly scriptValue: Float32Array; // brake: deceleration [m/s2]; cut-in: side (+1 left, -1 right)
  readonly remaining: Float32Array; // [m] a walking pedestrian has still to go
  readonly routeSeed: Uint32Array; // picks a vehicle's successor lane at forks
}

/**
 * Everything that changes over an episode. World.step() returns a new state; World.stepInto() advances a
 * preallocated one in place (its step and clock too), for rollouts that must not allocate.
 */
export interface WorldState {
  step: number; // steps since reset
  t: number; // [s] = step * DT; the lights' clock
  readonly agents: AgentArrays;
  readonly intents: AgentIntents;
  readonly lights: Uint8Array; // LightColour per RoadMap.lights entry
}

/** Ego controls for one step. */
export interface EgoAction {
  readonly accel: number; // longitudinal [m/s2]
  readonly curvature: number; // path curvature [1/m], positive turns left
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios and logs

export const SCENARIO_FAMILIES = [
  'nominal-urban',
  'highway-cruise',
  'lead-brake',
  'cut-in',
  'jaywalker',
  'red-light-runner',
  'stalled-obstacle',
  'unprotected-left',
  'dense-merge',
] as const;
export type ScenarioFamily = (typeof SCENARIO_FAMILIES)[number];

/** The largest scenario seed: seeds are unsigned 32-bit integers, 0 to 2^32 - 1. */
export const MAX_SCENARIO_SEED = 0xffff_ffff;

/** Ego's navigation goal: a chain of lanes to follow, in order, ending at the goal point. */
export interface Route {
  readonly laneIds: readonly number[];
  readonly goal: readonly [number, number]; // [m]
  /** A navigation command for the next manoeuvre: what an instruction says in words. */
  readonly command:
    | 'follow'
    | 'turn-left'
    | 'turn-right'
    | 'go-straight'
    | 'change-left'
    | 'change-right'
    | 'merge';
}

export interface Scenario {
  readonly family: ScenarioFamily;
  readonly seed: number;
  readonly map: RoadMap;
  readonly initial: WorldState;
  readonly route: Route;
  readonly instruction: string; // e.g. "At the intersection, turn left."
  readonly horizon: number; // episode length [steps]
}

/**
 * A recorded episode, (A, T) row-major per field (agent-major: index a * (steps + 1) + t), T = steps + 1 states
 * including the initial one. These columns are also the Parquet schema of the lake's frames table.
 */
export interface EpisodeLog {
  readonly family: ScenarioFamily;
  readonly seed: number;
  readonly agents: number; // A
  readonly steps: number; // T - 1
  readonly kind: Uint8Array; // (A,)
  readonly length: Float32Array; // (A,) [m]
  readonly width: Float32Array; // (A,) [m]
  readonly valid: Uint8Array; // (A, T)
  readonly x: Float32Array; // (A, T) [m]
  readonly y: Float32Array; // (A, T) [m]
  readonly heading: Float32Array; // (A, T) [rad]
  readonly speed: Float32Array; // (A, T) [m/s]
  readonly accel: Float32Array; // (A, T) [m/s2]
  readonly yawRate: Float32Array; // (A, T) [rad/s]
  readonly lights: Uint8Array; // (L, T) LightColour
  readonly egoAccelCmd: Float32Array; // (T - 1,) commanded [m/s2]
  readonly egoCurvatureCmd: Float32Array; // (T - 1,) commanded [1/m]
  readonly plans: PlanLog | null; // the driver's plans, when it made any
}

/**
 * Ego's planned future positions, logged every `every` steps: (K, H, 2) row-major [m] world frame,
 * H points spaced `spacing` seconds apart. Read by the extended-comfort (EC) and history-comfort (HC) metrics.
 */
export interface PlanLog {
  readonly every: number; // [steps] between plans
  readonly horizon: number; // H
  readonly spacing: number; // [s] between plan points
  readonly xy: Float32Array; // (K, H, 2)
}

/** Drivers plan PLAN_HORIZON positions PLAN_SPACING seconds apart (the action-token plan: 8 steps of 0.5 s). */
export const PLAN_HORIZON = 8;
export const PLAN_SPACING = 0.5; // [s]
export const PLAN_EVERY = Math.round(PLAN_SPACING / DT); // [steps] between a planning driver's plans

/** The plan (if any) a driver made for the step it was asked about. */
export interface DriverOutput {
  readonly action: EgoAction;
  /**
   * (PLAN_HORIZON, 2) planned ego positions [m], PLAN_SPACING seconds apart from now, when the driver replanned
   * this step; drivers that plan do so every PLAN_SPACING seconds from step 0.
   */
  readonly plan?: Float32Array;
}

/**
 * Anything that drives ego: the privileged expert, a learned model through its runtime, a replayed log.
 * It may read the whole scenario and state; a learned driver reads only its sensors built from them.
 */
export interface Driver {
  readonly name: string;
  /** Called once before an episode starts. */
  reset(scenario: Scenario): void;
  /** Chooses ego's controls for the step from `state` to the next. */
  act(scenario: Scenario, state: WorldState): DriverOutput;
  /** Releases what the driver holds (a learned model's worker threads and sessions); the last call on it. */
  dispose?(): Promise<void>;
}
