// The reward model's input: one (scene, plan) pair as TOKENS feature rows in ego's frame at the plan's start:
// [ego][AGENT_TOKENS nearest agents][LIGHT_TOKENS nearest lights][PLAN_HORIZON plan steps][summary]. Not the network.
//
// Each row is FEATURES numbers; its first FAMILIES columns say which kind of token it is (one-hot), so one
// embedding matmul serves every kind. Missing agents or lights are rows with only their family flag set.

import { routeTrack } from '../sim/metrics/route.js';
import { type EgoRows, type PlanScene, rollPlan } from '../sim/plan-scorer/index.js';
import { allocEgoRows } from '../sim/plan-scorer/rollout.js';
import { AgentKind, LightColour, PLAN_EVERY, PLAN_HORIZON } from '../sim/types.js';

export const AGENT_TOKENS = 8; // nearest other agents at the plan's start
export const LIGHT_TOKENS = 4; // nearest traffic lights
export const FAMILIES = 5; // ego, agent, light, plan step, summary
export const TOKENS = 1 + AGENT_TOKENS + LIGHT_TOKENS + PLAN_HORIZON + 1;
const FIRST_PLAN = 1 + AGENT_TOKENS + LIGHT_TOKENS; // the token of plan step 0

/** The family column of token `t`: 0 ego, 1 agent, 2 light, 3 plan step, 4 summary. */
export function familyOf(t: number): number {
  if (t === 0) return 0;
  if (t < 1 + AGENT_TOKENS) return 1;
  if (t < FIRST_PLAN) return 2;
  return t < FIRST_PLAN + PLAN_HORIZON ? 3 : 4;
}
export const FEATURES = FAMILIES + 16;
/** Bump when a row's meaning changes: cached pairs of another version are rebuilt (dataset.ts). */
export const FEATURES_VERSION = 1;

const POSITION_SCALE = 20; // [m] positions are fed divided by this
const SPEED_SCALE = 10; // [m/s]
const ACCEL_SCALE = 4; // [m/s2]
const GAP_CAP = 30; // [m] the nearest-agent gap is clipped to this before scaling
const LIGHT_RANGE = 80; // [m] lights further away are left out
const FUTURE_ROWS = [20, 40]; // agent positions also at 2 s and 4 s (future rows at 0.1 s)

/** Ego's frame at the plan's start: rel(x, y) -> forward, left [m]. */
function egoFrame(scene: PlanScene) {
  const { x, y, heading } = scene.ego;
  const c = Math.cos(heading);
  const s = Math.sin(heading);
  return {
    rel: (px: number, py: number): [number, number] => [
      c * (px - x) + s * (py - y),
      -s * (px - x) + c * (py - y),
    ],
    heading,
  };
}

/** 1 where (x, y) is on the map's drivable grid, else 0. */
function drivableAt(scene: PlanScene, x: number, y: number): number {
  const grid = scene.scenario.map.drivable;
  const col = Math.floor((x - grid.originX) / grid.resolution);
  const row = Math.floor((y - grid.originY) / grid.resolution);
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return 0;
  return grid.cells[row * grid.cols + col] ? 1 : 0;
}

/** The scene's rows (everything but the plan steps) written into `out` (TOKENS, FEATURES); the same for any plan. */
function writeScene(scene: PlanScene, out: Float32Array): void {
  const f = egoFrame(scene);
  const row = (token: number, family: number, values: readonly number[]) => {
    const at = token * FEATURES;
    out[at + family] = 1;
    out.set(values, at + FAMILIES);
  };
  const hist = scene.historySteps > 0 ? scene.history.speed[0]! : scene.ego.speed;
  row(0, 0, [
    scene.ego.speed / SPEED_SCALE,
    scene.ego.accel / ACCEL_SCALE,
    scene.ego.yawRate,
    scene.referenceProgress / POSITION_SCALE,
    scene.referenceMultiplier,
    hist / SPEED_SCALE,
  ]);
  const fu = scene.future;
  const T = fu.valid.length / fu.agents; // future rows per agent
  const near: { i: number; d: number }[] = [];
  for (let i = 1; i < fu.agents; i++) {
    if (fu.valid[i * T + 1] === 0) continue;
    near.push({ i, d: Math.hypot(fu.x[i * T + 1]! - scene.ego.x, fu.y[i * T + 1]! - scene.ego.y) });
  }
  near.sort((a, b) => a.d - b.d || a.i - b.i);
  for (let k = 0; k < AGENT_TOKENS; k++) {
    const token = 1 + k;
    const a = near[k];
    if (!a) {
      out[token * FEATURES + 1] = 1;
      continue;
    }
    const at = (t: number) => a.i * T + Math.min(t, T - 1);
    const [x0, y0] = f.rel(fu.x[at(1)]!, fu.y[at(1)]!);
    const later = FUTURE_ROWS.flatMap((t) =>
      fu.valid[at(t)] ? f.rel(fu.x[at(t)]!, fu.y[at(t)]!).map((v) => v / POSITION_SCALE) : [0, 0],
    );
    const dh = fu.heading[at(1)]! - f.heading;
    row(token, 1, [
      1,
      fu.kind[a.i] === AgentKind.pedestrian || fu.kind[a.i] === AgentKind.cyclist ? 1 : 0,
      fu.kind[a.i] === AgentKind.obstacle ? 1 : 0,
      x0 / POSITION_SCALE,
      y0 / POSITION_SCALE,
      Math.cos(dh),
      Math.sin(dh),
      fu.speed[at(1)]! / SPEED_SCALE,
      fu.length[a.i]! / 5,
      fu.width[a.i]! / 2,
      ...later,
    ]);
  }
  const lights = scene.scenario.map.lights
    .map((l, i) => ({
      i,
      p: l.position,
      d: Math.hypot(l.position[0] - scene.ego.x, l.position[1] - scene.ego.y),
    }))
    .filter((l) => l.d < LIGHT_RANGE)
    .sort((a, b) => a.d - b.d || a.i - b.i);
  for (let k = 0; k < LIGHT_TOKENS; k++) {
    const token = 1 + AGENT_TOKENS + k;
    const l = lights[k];
    if (!l) {
      out[token * FEATURES + 2] = 1;
      continue;
    }
    const [x, y] = f.rel(l.p[0], l.p[1]);
    const colour = (t: number) => fu.lights[l.i * T + Math.min(t, T - 1)];
    const red = (t: number) => (colour(t) === LightColour.red ? 1 : 0);
    row(token, 2, [
      1,
      x / POSITION_SCALE,
      y / POSITION_SCALE,
      red(1),
      colour(1) === LightColour.yellow ? 1 : 0,
      red(20),
      red(40),
    ]);
  }
  out[(TOKENS - 1) * FEATURES + 4] = 1; // summary: the network reads its prediction here
}

/** The plan-step rows of a control plan ((PLAN_HORIZON, 2) [m/s2, 1/m]) rolled from the scene's ego. */
function writePlan(scene: PlanScene, plan: ArrayLike<number>, rows: EgoRows, out: Float32Array): void {
  rollPlan(scene.ego, plan, rows);
  const f = egoFrame(scene);
  const n = rows.x.length;
  const track = routeTrack(scene.scenario.map, scene.scenario.route, rows.x, rows.y, n);
  const fu = scene.future;
  const T = fu.valid.length / fu.agents;
  for (let k = 0; k < PLAN_HORIZON; k++) {
    const t = (k + 1) * PLAN_EVERY; // the state at the end of plan step k
    const [x, y] = f.rel(rows.x[t]!, rows.y[t]!);
    const dh = rows.heading[t]! - f.heading;
    let gap = GAP_CAP;
    for (let i = 1; i < fu.agents; i++) {
      const r = i * T + Math.min(t, T - 1);
      if (fu.valid[r] === 0) continue;
      const centre = Math.hypot(fu.x[r]! - rows.x[t]!, fu.y[r]! - rows.y[t]!);
      gap = Math.min(gap, Math.max(0, centre - (fu.length[i]! + scene.ego.length) / 2));
    }
    const at = (FIRST_PLAN + k) * FEATURES;
    out[at + 3] = 1;
    out.set(
      [
        x / POSITION_SCALE,
        y / POSITION_SCALE,
        Math.cos(dh),
        Math.sin(dh),
        rows.speed[t]! / SPEED_SCALE,
        plan[2 * k]! / ACCEL_SCALE,
        plan[2 * k + 1]! * 10, // [1/m] curvature, a tenth of a 1/m is a sharp turn
        track.lateral[t]! / 2,
        (track.s[t]! - track.s[0]!) / POSITION_SCALE,
        drivableAt(scene, rows.x[t]!, rows.y[t]!),
        gap / GAP_CAP,
        (k + 1) / PLAN_HORIZON,
      ],
      at + FAMILIES,
    );
  }
}

/** The tokens of each plan in `scene`: (plans, TOKENS, FEATURES), the scene part computed once. */
export function planTokens(scene: PlanScene, plans: readonly ArrayLike<number>[]): Float32Array {
  const size = TOKENS * FEATURES;
  const sceneRows = new Float32Array(size);
  writeScene(scene, sceneRows);
  const out = new Float32Array(plans.length * size);
  const rows = allocEgoRows();
  plans.forEach((plan, p) => {
    const view = out.subarray(p * size, (p + 1) * size);
    view.set(sceneRows);
    writePlan(scene, plan, rows, view);
  });
  return out;
}
