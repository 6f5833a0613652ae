import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { createScenario } from '../scenarios/index.js';
import type { Lane } from '../types.js';
import { projectToLane } from './geometry.js';

/** The oracle: every segment scanned in order, the first nearest foot point kept (end segments extended). */
function bruteForce(lane: Lane, x: number, y: number): { s: number; lateral: number } {
  const p = lane.points;
  const last = lane.s.length - 2;
  let best = Number.POSITIVE_INFINITY;
  let out = { s: 0, lateral: 0 };
  for (let i = 0; i <= last; i++) {
    const [ax, ay, dx, dy] = [p[2 * i], p[2 * i + 1], p[2 * i + 2] - p[2 * i], p[2 * i + 3] - p[2 * i + 1]];
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    let u = ((x - ax) * dx + (y - ay) * dy) / len2;
    if (u < 0 && i > 0) u = 0;
    if (u > 1 && i < last) u = 1;
    const e2 = (x - ax - u * dx) ** 2 + (y - ay - u * dy) ** 2;
    if (e2 < best) {
      best = e2;
      const len = Math.sqrt(len2);
      out = { s: lane.s[i] + u * len, lateral: (dx * (y - ay) - dy * (x - ax)) / len };
    }
  }
  return out;
}

describe('projectToLane', () => {
  it('finds exactly the nearest foot point of a full scan, on long and curved lanes, near and far', () => {
    const rng = new Rng(7);
    for (const family of ['highway-cruise', 'unprotected-left', 'dense-merge'] as const) {
      const { map } = createScenario(family, 0);
      const [minX, minY, maxX, maxY] = map.bounds;
      for (const lane of map.lanes) {
        for (let k = 0; k < 60; k++) {
          const x = rng.uniform(minX - 20, maxX + 20);
          const y = rng.uniform(minY - 20, maxY + 20);
          expect(projectToLane(lane, x, y)).toEqual(bruteForce(lane, x, y));
        }
      }
    }
  });

  it('finds the same foot point with a hint, followed along a path or stale', () => {
    const rng = new Rng(11);
    for (const family of ['highway-cruise', 'unprotected-left'] as const) {
      const { map } = createScenario(family, 0);
      const [minX, minY, maxX, maxY] = map.bounds;
      for (const lane of map.lanes) {
        const hint = { segment: -1 };
        let [x, y] = [rng.uniform(minX, maxX), rng.uniform(minY, maxY)];
        for (let k = 0; k < 60; k++) {
          // a random walk of 3 m steps, with a jump to anywhere now and then (the hint is then far off)
          [x, y] =
            k % 20 === 19
              ? [rng.uniform(minX, maxX), rng.uniform(minY, maxY)]
              : [x + rng.uniform(-3, 3), y + rng.uniform(-3, 3)];
          expect(projectToLane(lane, x, y, hint)).toEqual(bruteForce(lane, x, y));
          expect(hint.segment).not.toBe(-1); // it learnt where the point projects
        }
      }
    }
  });
});
