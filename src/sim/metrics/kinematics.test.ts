import { describe, expect, it } from 'vitest';
import { kinematics, speedHeadingFromXy } from './kinematics.js';
import { savgol } from './savgol.js';

describe('savgol', () => {
  it('differentiates a quadratic exactly, ends included', () => {
    const n = 30;
    const dt = 0.1;
    const y = Array.from({ length: n }, (_, t) => 3 * (t * dt) ** 2 - t * dt + 2);
    const d1 = savgol(y, n, 15, 2, 1, dt, new Float64Array(n));
    const d2 = savgol(y, n, 15, 3, 2, dt, new Float64Array(n));
    for (let t = 0; t < n; t++) {
      expect(d1[t]).toBeCloseTo(6 * t * dt - 1, 8);
      expect(d2[t]).toBeCloseTo(6, 8);
    }
  });

  it('shrinks the window to short series', () => {
    const y = [0, 1, 2];
    const d = savgol(y, 3, 15, 2, 1, 0.5, new Float64Array(3));
    expect(Array.from(d)).toEqual([2, 2, 2].map((v) => expect.closeTo(v, 10)));
  });
});

describe('kinematics', () => {
  it('reads longitudinal acceleration, yaw rate and lateral acceleration of a constant turn', () => {
    const n = 40;
    const speed = Array.from({ length: n }, (_, t) => 10 - 2 * t * 0.1); // -2 m/s2
    const heading = Array.from({ length: n }, (_, t) => 0.3 * t * 0.1); // 0.3 rad/s
    const k = kinematics(speed, heading, n, 0.1);
    expect(k.lonAccel[20]).toBeCloseTo(-2, 6);
    expect(k.yawRate[20]).toBeCloseTo(0.3, 6);
    expect(k.latAccel[20]).toBeCloseTo(speed[20]! * 0.3, 6);
    expect(k.lonJerk[20]).toBeCloseTo(0, 6);
  });

  it('unwraps headings across +-pi', () => {
    const n = 20;
    const heading = Array.from({ length: n }, (_, t) => {
      const h = Math.PI - 0.5 + 0.1 * t * 0.5; // crosses pi
      return h > Math.PI ? h - 2 * Math.PI : h;
    });
    const k = kinematics(new Array(n).fill(5), heading, n, 0.5);
    expect(k.yawRate[10]).toBeCloseTo(0.1, 6);
  });

  it('recovers speed and heading from positions', () => {
    const xy = [0, 0, 1, 1, 2, 2, 3, 3];
    const { speed, heading } = speedHeadingFromXy(xy, 4, 0.5);
    expect(speed[1]).toBeCloseTo(Math.SQRT2 / 0.5, 6);
    expect(heading[3]).toBeCloseTo(Math.PI / 4, 6);
  });
});
