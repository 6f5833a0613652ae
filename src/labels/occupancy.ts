// Occupancy labels: an ego-centred bird's-eye grid of cells taken by other agents now and at +1, +2, +3 s.
// Not the BEV raster the model sees (sensors/bev.ts); this is a coarse, privileged target over time.

import { DT } from '../sim/types.js';
import { egoForward, egoLeft, type LabelFrame, logIndex, poseAt } from './frame.js';
import { askAll, type QaPair } from './qa.js';

export const OCC_SIZE = 16; // cells per side
export const OCC_CELL = 4; // [m] cell side: the grid spans 64 m x 64 m around ego
export const OCC_TIMES = [0, 1, 2, 3] as const; // [s] from now
const HALF = (OCC_SIZE * OCC_CELL) / 2; // [m]

/** The QA key of "is the space 10 m straight ahead occupied now?". */
export const AHEAD_NOW_KEY = 'ahead_10m_now';

export interface OccupancyLabel {
  /** (K, R, C) with K = OCC_TIMES, row r covers forward [r*4 - 32, r*4 - 28) m, column c covers left likewise. */
  readonly grid: Uint8Array;
}

/** The cell index (row * OCC_SIZE + col) holding ego-frame point (forward, left), or -1 off the grid. */
export function occupancyCell(forward: number, left: number): number {
  const row = Math.floor((forward + HALF) / OCC_CELL);
  const col = Math.floor((left + HALF) / OCC_CELL);
  return row < 0 || col < 0 || row >= OCC_SIZE || col >= OCC_SIZE ? -1 : row * OCC_SIZE + col;
}

export function occupancyLabel(frame: LabelFrame): OccupancyLabel {
  const { log, step } = frame;
  const ego = poseAt(log, 0, step);
  const cells = OCC_SIZE * OCC_SIZE;
  const grid = new Uint8Array(OCC_TIMES.length * cells); // (K, R, C)
  for (let k = 0; k < OCC_TIMES.length; k++) {
    const at = Math.min(log.steps, step + Math.round(OCC_TIMES[k]! / DT));
    const base = k * cells;
    for (let a = 1; a < log.agents; a++) {
      const i = logIndex(log, a, at);
      if (!log.valid[i]) continue;
      const f = egoForward(ego, log.x[i]!, log.y[i]!);
      const l = egoLeft(ego, log.x[i]!, log.y[i]!);
      const centre = occupancyCell(f, l);
      if (centre >= 0) grid[base + centre] = 1;
      markBox(grid, base, f, l, log.heading[i]! - ego.heading, log.length[a]!, log.width[a]!);
    }
  }
  return { grid };
}

/** Marks the cells whose centres fall inside an oriented box (centre f, l; relative heading h). */
function markBox(
  grid: Uint8Array,
  base: number,
  f: number,
  l: number,
  h: number,
  length: number,
  width: number,
) {
  const reach = Math.hypot(length, width) / 2;
  const c = Math.cos(h);
  const s = Math.sin(h);
  const r0 = Math.max(0, Math.floor((f - reach + HALF) / OCC_CELL));
  const r1 = Math.min(OCC_SIZE - 1, Math.floor((f + reach + HALF) / OCC_CELL));
  const c0 = Math.max(0, Math.floor((l - reach + HALF) / OCC_CELL));
  const c1 = Math.min(OCC_SIZE - 1, Math.floor((l + reach + HALF) / OCC_CELL));
  for (let r = r0; r <= r1; r++) {
    for (let col = c0; col <= c1; col++) {
      const df = (r + 0.5) * OCC_CELL - HALF - f;
      const dl = (col + 0.5) * OCC_CELL - HALF - l;
      if (Math.abs(df * c + dl * s) <= length / 2 && Math.abs(-df * s + dl * c) <= width / 2) {
        grid[base + r * OCC_SIZE + col] = 1;
      }
    }
  }
}

function occupiedCount(label: OccupancyLabel, k: number): number {
  const cells = OCC_SIZE * OCC_SIZE;
  let n = 0;
  for (let i = k * cells; i < (k + 1) * cells; i++) n += label.grid[i]!;
  return n;
}

/** Whether the cell a given distance straight ahead is occupied at time index k. */
function aheadOccupied(label: OccupancyLabel, k: number, forward: number): string {
  return label.grid[k * OCC_SIZE * OCC_SIZE + occupancyCell(forward, 0)] ? 'yes' : 'no';
}

export function occupancyQa(label: OccupancyLabel, seed: number): QaPair[] {
  return askAll('occupancy', seed, [
    [
      'cells_now',
      ['How many 4 m cells around you are occupied now?', 'Occupied 4 m cells in the 64 m grid now?'],
      String(occupiedCount(label, 0)),
    ],
    [
      'cells_2s',
      [
        'How many 4 m cells around you will be occupied in 2 s?',
        'Occupied 4 m cells in the grid 2 s from now?',
      ],
      String(occupiedCount(label, 2)),
    ],
    [
      AHEAD_NOW_KEY,
      ['Is the space 10 m straight ahead occupied now?', 'Is anything 10 m straight ahead right now?'],
      aheadOccupied(label, 0, 10),
    ],
    [
      'ahead_10m_2s',
      [
        'Will the space 10 m straight ahead be occupied in 2 s?',
        'Will anything be 10 m straight ahead in 2 s?',
      ],
      aheadOccupied(label, 2, 10),
    ],
  ]);
}
