// The BEV raster: an ego-centred, heading-up bird's-eye grid of channels (map, route, agents, light states) sampled
// from the cached map textures. Not the occupancy label (labels/occupancy.ts) nor the human picture.
//
// Map channels (drivable, markings, route) hold the share of each cell covered, 0 to 255; stop lines are 0 or 255;
// agents' boxes carry the agent's speed, from 128 standing to 255 at AGENT_SPEED_FULL and faster, since one frame
// shows no motion and what others do next depends on it.
// Layout (C, H, W) Uint8, BEV_SIZE x BEV_SIZE cells of BEV_CELL metres. Row 0 is the far edge BEV_AHEAD ahead
// of ego's centre, the last row BEV_SIZE - BEV_AHEAD behind it; column 0 is the left edge. Cell (r, c) covers
// forward (BEV_AHEAD - r - 1, BEV_AHEAD - r], left (BEV_SIZE/2 - c - 1, BEV_SIZE/2 - c] [m] (bevCell).

import { AgentKind, LightColour, type WorldGrid } from '../sim/types.js';
import { Ground, type GroundTextures, groundTextures, MARKINGS, routeGrid } from './ground.js';
import { fillPolygon, fillSegment } from './raster.js';
import type { SceneSnapshot } from './scene.js';

export const BEV_SIZE = 64; // [cells] per side
export const BEV_CELL = 1; // [m] cell side
export const BEV_AHEAD = 48; // [m] from ego's centre to the far edge; 16 m behind
const HALF_WIDTH = (BEV_SIZE * BEV_CELL) / 2; // [m] to each side
const STOP_MARK_WIDTH = 1.2; // [cells] so a stop line marks an unbroken row at any angle
const AGENT_SPEED_FULL = 30; // [m/s] an agent this fast or faster is drawn at 255
const AGENT_STANDING = 128; // the value of an agent at standstill

/** Channel index by content. */
export const BevChannel = {
  drivable: 0,
  markings: 1, // lane edges, stop lines, crosswalk bars
  route: 2, // the lanes of ego's route
  vehicles: 3, // other vehicles and cyclists (not ego)
  pedestrians: 4, // pedestrians and static obstacles
  red: 5, // stop lines whose light is red
  yellow: 6,
  green: 7,
} as const;
export const BEV_CHANNELS = 8;
const PLANE = BEV_SIZE * BEV_SIZE;
const ON = 255;

/** Flat index (row * BEV_SIZE + col) of the cell holding ego-frame point (forward, left) [m], or -1 outside. */
export function bevCell(forward: number, left: number): number {
  const row = Math.floor((BEV_AHEAD - forward) / BEV_CELL);
  const col = Math.floor((HALF_WIDTH - left) / BEV_CELL);
  return row < 0 || col < 0 || row >= BEV_SIZE || col >= BEV_SIZE ? -1 : row * BEV_SIZE + col;
}

interface EgoFrame {
  readonly x: number;
  readonly y: number;
  readonly cos: number;
  readonly sin: number;
}

/** Sub-cell sample offsets (forward, left) [cells]: a 2 x 2 grid, so a map edge's sub-cell position shows. */
const SUBSAMPLES = [
  [-0.25, -0.25],
  [-0.25, 0.25],
  [0.25, -0.25],
  [0.25, 0.25],
] as const;
const SUBSAMPLE_VALUE = ON / SUBSAMPLES.length;

/**
 * Sets the cells of channel `a` (and `b`, when given) to the share of their SUBSAMPLES whose grid texel has any bit
 * of its mask, scaled to ON (anti-aliased: a lane edge half a metre further left changes the cells it crosses,
 * not only every metre). Two channels of one grid are read in one pass.
 */
function sampleCells(
  out: Uint8Array,
  ego: EgoFrame,
  grid: WorldGrid,
  a: readonly [channel: number, mask: number],
  b: readonly [channel: number, mask: number] = [a[0], 0],
): void {
  const inv = 1 / grid.resolution;
  const { cols, rows, cells } = grid;
  const [baseA, maskA] = [a[0] * PLANE, a[1]];
  const [baseB, maskB] = [b[0] * PLANE, b[1]];
  const sx = BEV_CELL * ego.sin * inv; // texel step per column (left decreases)
  const sy = -BEV_CELL * ego.cos * inv;
  for (const [dForward, dLeft] of SUBSAMPLES) {
    for (let r = 0; r < BEV_SIZE; r++) {
      // sample point of cell (r, c): forward = AHEAD - (r + 0.5 - dForward) * cell, left = HALF - (c + 0.5 - dLeft) * cell
      const forward = BEV_AHEAD - (r + 0.5 - dForward) * BEV_CELL;
      const left = HALF_WIDTH - (0.5 - dLeft) * BEV_CELL;
      let gx = (ego.x + forward * ego.cos - left * ego.sin - grid.originX) * inv;
      let gy = (ego.y + forward * ego.sin + left * ego.cos - grid.originY) * inv;
      const cell = r * BEV_SIZE;
      for (let c = 0; c < BEV_SIZE; c++, gx += sx, gy += sy) {
        const col = Math.floor(gx);
        const row = Math.floor(gy);
        if (col < 0 || row < 0 || col >= cols || row >= rows) continue;
        const texel = cells[row * cols + col]!;
        if (texel & maskA) out[baseA + cell + c]++; // hits, scaled below
        if (texel & maskB) out[baseB + cell + c]++;
      }
    }
  }
  for (const base of baseA === baseB ? [baseA] : [baseA, baseB])
    for (let i = base; i < base + PLANE; i++) out[i] = Math.round(out[i]! * SUBSAMPLE_VALUE);
}

// span sink target: one channel plane of the output, and the value spans are filled with
let planeOut: Uint8Array = new Uint8Array(0);
let planeBase = 0;
let planeValue = ON;
function planeSpan(row: number, x0: number, x1: number): void {
  planeOut.fill(planeValue, planeBase + row * BEV_SIZE + x0, planeBase + row * BEV_SIZE + x1);
}

/** The cell value of an agent moving at `speed` [m/s]. */
export function agentValue(speed: number): number {
  const share = Math.min(Math.abs(speed) / AGENT_SPEED_FULL, 1);
  return Math.round(AGENT_STANDING + (ON - AGENT_STANDING) * share);
}

/** Cell-space coordinates (x = column, y = row, continuous) of world point (x, y). */
function toCellX(ego: EgoFrame, x: number, y: number): number {
  const left = -(x - ego.x) * ego.sin + (y - ego.y) * ego.cos;
  return (HALF_WIDTH - left) / BEV_CELL;
}
function toCellY(ego: EgoFrame, x: number, y: number): number {
  const forward = (x - ego.x) * ego.cos + (y - ego.y) * ego.sin;
  return (BEV_AHEAD - forward) / BEV_CELL;
}

const boxX = new Float64Array(4);
const boxY = new Float64Array(4);

function drawAgents(out: Uint8Array, ego: EgoFrame, scene: SceneSnapshot): void {
  const { agents } = scene;
  planeOut = out;
  for (let a = 1; a < agents.count; a++) {
    if (!agents.valid[a]) continue;
    const kind = agents.kind[a]!;
    if (kind === AgentKind.ego) continue;
    const channel =
      kind === AgentKind.pedestrian || kind === AgentKind.obstacle
        ? BevChannel.pedestrians
        : BevChannel.vehicles;
    planeBase = channel * PLANE;
    planeValue = agentValue(agents.speed[a]!);
    const x = agents.x[a]!;
    const y = agents.y[a]!;
    const hl = agents.length[a]! / 2;
    const hw = agents.width[a]! / 2;
    const ch = Math.cos(agents.heading[a]!);
    const sh = Math.sin(agents.heading[a]!);
    for (let k = 0; k < 4; k++) {
      const lx = k === 0 || k === 3 ? hl : -hl;
      const ly = k < 2 ? hw : -hw;
      const wx = x + lx * ch - ly * sh;
      const wy = y + lx * sh + ly * ch;
      boxX[k] = toCellX(ego, wx, wy);
      boxY[k] = toCellY(ego, wx, wy);
    }
    fillPolygon(boxX, boxY, 4, BEV_SIZE, BEV_SIZE, planeSpan);
    const centre = bevCell(
      (x - ego.x) * ego.cos + (y - ego.y) * ego.sin,
      -(x - ego.x) * ego.sin + (y - ego.y) * ego.cos,
    );
    if (centre >= 0) out[planeBase + centre] = planeValue; // agents smaller than a cell still mark one
  }
  planeValue = ON;
}

function drawStopLines(out: Uint8Array, ego: EgoFrame, scene: SceneSnapshot, textures: GroundTextures): void {
  const lines = textures.stopLines;
  planeOut = out;
  for (let i = 0; i < textures.stopLineLight.length; i++) {
    const colour = scene.lights[textures.stopLineLight[i]!]!;
    const channel =
      colour === LightColour.red
        ? BevChannel.red
        : colour === LightColour.yellow
          ? BevChannel.yellow
          : BevChannel.green;
    planeBase = channel * PLANE;
    const x0 = lines[4 * i]!;
    const y0 = lines[4 * i + 1]!;
    const x1 = lines[4 * i + 2]!;
    const y1 = lines[4 * i + 3]!;
    fillSegment(
      toCellX(ego, x0, y0),
      toCellY(ego, x0, y0),
      toCellX(ego, x1, y1),
      toCellY(ego, x1, y1),
      STOP_MARK_WIDTH,
      0,
      BEV_SIZE,
      BEV_SIZE,
      planeSpan,
    );
  }
}

/** Renders the BEV of `scene` into `out` ((C, H, W), allocated when omitted) and returns it. */
export function renderBev(
  scene: SceneSnapshot,
  out: Uint8Array = new Uint8Array(BEV_CHANNELS * PLANE),
): Uint8Array {
  out.fill(0);
  const textures = groundTextures(scene.map);
  const { agents } = scene;
  const heading = agents.heading[0]!;
  const ego: EgoFrame = { x: agents.x[0]!, y: agents.y[0]!, cos: Math.cos(heading), sin: Math.sin(heading) };
  const coarse = textures.coarse;
  sampleCells(out, ego, coarse, [BevChannel.drivable, Ground.drivable], [BevChannel.markings, MARKINGS]);
  sampleCells(out, ego, routeGrid(scene.map, scene.route), [BevChannel.route, 1]);
  drawAgents(out, ego, scene);
  drawStopLines(out, ego, scene, textures);
  return out;
}
