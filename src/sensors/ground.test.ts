// Checks the cached map textures on the fixture road: flags at known points, the pooled texture, crosswalk bars,
// stop lines and light facing. Not a test of any sensor image.

import { describe, expect, it } from 'vitest';
import { twoWayRoad } from '../sim/metrics/fixtures.js';
import { gridCell } from '../sim/road/drivable.js';
import { Ground, groundTextures, routeGrid } from './ground.js';

describe('groundTextures', () => {
  const map = twoWayRoad();
  const { fine, coarse, stopLines, stopLineLight, lightFacing } = groundTextures(map);

  it('paints asphalt, the yellow centre line, the white edge, the stop line and grass', () => {
    expect(gridCell(fine, 50, 0)).toBe(Ground.drivable);
    expect(gridCell(fine, 50, 1.75) & Ground.yellowLine).toBe(Ground.yellowLine);
    expect(gridCell(fine, 50, -1.7) & Ground.whiteLine).toBe(Ground.whiteLine);
    expect(gridCell(fine, 50, 5.2) & Ground.whiteLine).toBe(Ground.whiteLine);
    expect(gridCell(fine, 100, 0) & Ground.stopLine).toBe(Ground.stopLine);
    expect(gridCell(fine, 100, 3.5) & Ground.stopLine).toBe(0); // lane 1 has no stop line
    expect(gridCell(fine, 50, -5)).toBe(0);
    expect(gridCell(fine, 500, 0)).toBe(0); // outside the texture
  });

  it('pools markings over a metre in the coarse texture but keeps drivable exact', () => {
    expect(coarse.resolution).toBeCloseTo(2 * fine.resolution);
    expect(gridCell(coarse, 50, 2.1) & Ground.yellowLine).toBe(Ground.yellowLine);
    expect(gridCell(coarse, 50, 3) & Ground.yellowLine).toBe(0);
    expect(gridCell(coarse, 50, -1.5) & Ground.drivable).toBe(Ground.drivable);
    expect(gridCell(coarse, 50, -2.5) & Ground.drivable).toBe(0);
  });

  it('lists the signalised stop line and faces the light against its lane', () => {
    expect([...stopLines]).toEqual([100, -1.75, 100, 1.75]);
    expect([...stopLineLight]).toEqual([0]);
    expect(lightFacing[0]).toBe(-1);
    expect(Math.abs(lightFacing[1]!)).toBe(0);
  });

  it('caches per map', () => {
    expect(groundTextures(map).fine).toBe(fine);
    expect(groundTextures(twoWayRoad()).fine).not.toBe(fine);
  });

  it('paints zebra bars alternating across the road', () => {
    const withCrosswalk = {
      ...twoWayRoad(),
      crosswalks: [
        { id: 0, polygon: Float32Array.of(110, -1.75, 113, -1.75, 113, 5.25, 110, 5.25), laneIds: [0, 1] },
      ],
    };
    const g = groundTextures(withCrosswalk).fine;
    expect(gridCell(g, 111.5, -1.75 + 0.3) & Ground.stripe).toBe(Ground.stripe);
    expect(gridCell(g, 111.5, -1.75 + 0.9) & (Ground.stripe | Ground.crosswalk)).toBe(Ground.crosswalk);
    expect(gridCell(g, 111.5, -1.75 + 1.5) & Ground.stripe).toBe(Ground.stripe);
    expect(gridCell(g, 109, 0) & Ground.crosswalk).toBe(0);
  });

  it('rasterises the route lanes only', () => {
    const route = routeGrid(map, { laneIds: [0], goal: [200, 0], command: 'follow' });
    expect(gridCell(route, 50, 0)).toBe(1);
    expect(gridCell(route, 50, 1.2)).toBe(1);
    expect(gridCell(route, 50, 3.5)).toBe(0);
  });
});
