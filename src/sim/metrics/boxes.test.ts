import { describe, expect, it } from 'vitest';
import { boxCorners, boxesOverlap } from './boxes.js';

describe('boxesOverlap', () => {
  it('separates boxes side by side and overlaps boxes that touch', () => {
    // Two 5 x 2 cars, centres 2.1 m apart across: a 0.1 m gap.
    expect(boxesOverlap(0, 0, 0, 2.5, 1, 0, 2.1, 0, 2.5, 1)).toBe(false);
    expect(boxesOverlap(0, 0, 0, 2.5, 1, 0, 1.9, 0, 2.5, 1)).toBe(true);
  });

  it('needs all four axes: a rotated box near a corner is apart although its bounding circles meet', () => {
    const h = Math.PI / 4;
    // Box B rotated 45 deg with its edge x + y = 3.686 just beyond A's corner (2.5, 1): only B's axes separate.
    expect(boxesOverlap(0, 0, 0, 2.5, 1, 3.3, 1.8, h, 1, 1)).toBe(false);
    // Moved in so its edge x + y = 3.186 passes inside that corner.
    expect(boxesOverlap(0, 0, 0, 2.5, 1, 3.0, 1.6, h, 1, 1)).toBe(true);
  });

  it('treats a zero half-length as a segment (a front edge)', () => {
    // Ego front edge at x = 2.5 from y = -1 to 1; a box from x = 2.4 to 4.4 is touched, one from 2.6 on is not.
    expect(boxesOverlap(2.5, 0, 0, 0, 1, 3.4, 0, 0, 1, 1)).toBe(true);
    expect(boxesOverlap(2.5, 0, 0, 0, 1, 3.6, 0, 0, 1, 1)).toBe(false);
  });
});

describe('boxCorners', () => {
  it('orders front-left, front-right, rear-right, rear-left', () => {
    const c = boxCorners(10, 0, Math.PI / 2, 2.5, 1, new Float64Array(8));
    const r = Array.from(c, (v) => Math.round(v * 1e6) / 1e6);
    expect(r).toEqual([9, 2.5, 11, 2.5, 11, -2.5, 9, -2.5]);
  });
});
