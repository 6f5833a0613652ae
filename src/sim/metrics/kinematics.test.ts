import { describe, expect, it } from 'vitest';
import { kinematics } from './kinematics.js';
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

  it("matches scipy's savgol_filter, an even window (NAVSIM's 8) included", () => {
    const y = [0, 0, 0, 1, 3, 2, 5, 4, 4, 6, 7, 3];
    // scipy 1.17: savgol_filter(y, 8, 2) and savgol_filter(y, 5, 2, deriv=1, delta=0.1)
    const smooth = [
      -0.375, 0.10119, 0.660714, 1.303571, 2.71875, 3.40625, 3.9375, 4.9375, 5.071429, 5.142857, 4.952381,
      4.5,
    ];
    const slope = [-7.285714, -0.142857, 7, 7, 11, 8, 4, 7, 6, 1, -11.857143, -24.714286];
    const s = savgol(y, y.length, 8, 2, 0, 0.1, new Float64Array(y.length));
    const d = savgol(y, y.length, 5, 2, 1, 0.1, new Float64Array(y.length));
    expect(Array.from(s)).toEqual(smooth.map((v) => expect.closeTo(v, 5)));
    expect(Array.from(d)).toEqual(slope.map((v) => expect.closeTo(v, 5)));
  });

  it('shrinks the window to short series', () => {
    const y = [0, 1, 2];
    const d = savgol(y, 3, 15, 2, 1, 0.5, new Float64Array(3));
    expect(Array.from(d)).toEqual([2, 2, 2].map((v) => expect.closeTo(v, 10)));
  });
});

describe('kinematics', () => {
  it('reads the acceleration state, yaw rate and lateral acceleration of a constant turn', () => {
    const n = 40;
    const speed = Array.from({ length: n }, (_, t) => 10 - 2 * t * 0.1); // -2 m/s2
    const heading = Array.from({ length: n }, (_, t) => 0.3 * t * 0.1); // 0.3 rad/s
    const k = kinematics(
      { n, heading, speed, accel: new Array(n).fill(-2), yawRate: new Array(n).fill(0.3) },
      0.1,
    );
    expect(k.lonAccel[20]).toBeCloseTo(-2, 6);
    expect(k.yawRate[20]).toBeCloseTo(0.3, 6);
    // scipy's even window of 8 reads sample 20 off the fit half a sample later: speed at 20.5 is 5.9 m/s.
    expect(k.latAccel[20]).toBeCloseTo(5.9 * 0.3, 6);
    expect(k.lonJerk[20]).toBeCloseTo(0, 6);
  });

  it('unwraps headings across +-pi', () => {
    const n = 20;
    const heading = Array.from({ length: n }, (_, t) => {
      const h = Math.PI - 0.5 + 0.1 * t * 0.5; // crosses pi
      return h > Math.PI ? h - 2 * Math.PI : h;
    });
    const zeros = new Array(n).fill(0);
    const k = kinematics({ n, heading, speed: new Array(n).fill(5), accel: zeros, yawRate: zeros }, 0.5);
    expect(k.yawRate[10]).toBeCloseTo(0.1, 6);
  });
});
