import { describe, expect, it } from 'vitest';
import { egoKinematics } from './ego-kinematics.js';

describe('egoKinematics', () => {
  it('drives an arc of the commanded curvature and inverts it back', () => {
    const start = { x: 0, y: 0, heading: 0, speed: 10 };
    const dt = 0.1; // [s]
    const next = egoKinematics.forward(start, 1, 0.02, dt);
    expect(next.speed).toBeCloseTo(10.1, 6);
    expect(next.x).toBeCloseTo(1, 2); // 10 m/s for 0.1 s
    expect(next.heading).toBeCloseTo(10 * 0.02 * dt, 4); // v k dt
    const back = egoKinematics.inverse(start, next, dt);
    expect(back.accel).toBeCloseTo(1, 5);
    expect(back.curvature).toBeCloseTo(0.02, 4);
    expect(start).toEqual({ x: 0, y: 0, heading: 0, speed: 10 }); // the input pose is not mutated
  });
});
