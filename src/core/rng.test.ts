import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    const sb = Array.from({ length: 5 }, () => b.nextUint32());
    const sc = Array.from({ length: 5 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('restores a stream from its state', () => {
    const a = new Rng(3);
    a.next();
    const b = Rng.fromState(a.state);
    expect(b.next()).toBe(a.next());
  });

  it('forks independent streams without advancing the parent', () => {
    const a = new Rng(5);
    const before = a.state;
    const f1 = a.fork(1).next();
    const f2 = a.fork(2).next();
    expect(a.state).toEqual(before);
    expect(f1).not.toBe(f2);
    expect(a.fork(1).next()).toBe(f1);
  });

  it('draws uniform numbers with the right mean and normals with the right spread', () => {
    const rng = new Rng(11);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      sum += rng.next();
      const z = rng.normal();
      sq += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sq / n).toBeCloseTo(1, 1);
  });

  it('refuses a negative or fractional seed', () => {
    expect(() => new Rng(-1)).toThrow(/non-negative integer/);
    expect(() => new Rng(1.5)).toThrow(/non-negative integer/);
  });
});
