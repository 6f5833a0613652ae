import { describe, expect, it } from 'vitest';
import { redLightFrame } from './fixtures.js';
import { OCC_SIZE, OCC_TIMES, occupancyCell, occupancyLabel } from './occupancy.js';

describe('occupancy labels', () => {
  it('mark the cells of known agents now and where they will be, and nothing else', () => {
    const { grid } = occupancyLabel(redLightFrame());
    const cells = OCC_SIZE * OCC_SIZE;
    expect(grid.length).toBe(OCC_TIMES.length * cells);
    const stopped = occupancyCell(25, 0); // the queued car, 25 m ahead, at every time
    for (let k = 0; k < OCC_TIMES.length; k++) expect(grid[k * cells + stopped]).toBe(1);
    // the oncoming car starts 80 m ahead (off the grid) and at 10 m/s is 50 m ahead in 3 s: still off
    expect(grid[3 * cells + occupancyCell(-25, 3.5)]).toBe(0);
    // the pedestrian at 15 m ahead, 4.5 m right, walking left at 1.2 m/s: 3.6 m further left after 3 s
    expect(grid[occupancyCell(15, -4.5)]).toBe(1);
    expect(grid[3 * cells + occupancyCell(15, -0.9)]).toBe(1);
    expect(grid.reduce((a, b) => a + b, 0)).toBeLessThan(16); // compact: a few cells per agent
  });
});
