import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { binOf, fitActionBins, loadActionBins, saveActionBins } from './action-bins.js';

function samples(n: number, zeros: number): { accels: Float64Array; curvatures: Float64Array } {
  const rng = new Rng(3);
  const accels = new Float64Array(n);
  const curvatures = new Float64Array(n);
  for (let i = zeros; i < n; i++) {
    accels[i] = rng.normal(0, 1.5);
    curvatures[i] = rng.normal(0, 0.02);
  }
  return { accels, curvatures };
}

describe('fitActionBins', () => {
  it('gives ascending edges with fixed extremes and a centre inside every bin', () => {
    const { accels, curvatures } = samples(5000, 2000); // 40% exact zeros collapse many quantiles
    const bins = fitActionBins(accels, curvatures, { longitudinalBins: 32, lateralBins: 16 });
    for (const [axis, n] of [
      [bins.longitudinal, 32],
      [bins.lateral, 16],
    ] as const) {
      expect(axis.edges.length).toBe(n + 1);
      expect(axis.centres.length).toBe(n);
      for (let b = 0; b < n; b++) {
        expect(axis.edges[b + 1]).toBeGreaterThan(axis.edges[b]!);
        expect(axis.centres[b]).toBeGreaterThanOrEqual(axis.edges[b]!);
        expect(axis.centres[b]).toBeLessThanOrEqual(axis.edges[b + 1]!);
      }
    }
    expect(bins.longitudinal.edges[0]).toBe(-8);
    expect(bins.longitudinal.edges[32]).toBe(4);
    // zero is a centre (the bin holding the exact zeros decodes to them exactly)
    expect(Math.min(...Array.from(bins.longitudinal.centres, Math.abs))).toBeLessThan(1e-9);
  });

  it('puts finer bins where the data is dense', () => {
    const { accels, curvatures } = samples(5000, 0);
    const { edges } = fitActionBins(accels, curvatures, {
      longitudinalBins: 32,
      lateralBins: 32,
    }).longitudinal;
    const middle = edges[binOf(edges, 0) + 1]! - edges[binOf(edges, 0)]!;
    const average = (edges[32]! - edges[0]!) / 32;
    expect(middle).toBeLessThan(average * 0.7);
  });

  it('finds the bin of a value by its edges, clamping beyond the extremes', () => {
    const edges = Float64Array.of(-1, 0, 1, 2);
    expect([-5, -1, -0.5, 0, 0.99, 1, 1.5, 2, 9].map((v) => binOf(edges, v))).toEqual([
      0, 0, 0, 1, 1, 2, 2, 2, 2,
    ]);
  });

  it('saves and loads identical bins, and names the field of a bad file', () => {
    const { accels, curvatures } = samples(500, 0);
    const bins = fitActionBins(accels, curvatures, { longitudinalBins: 8, lateralBins: 8 });
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-bins-'));
    const path = join(dir, 'action-bins.json');
    saveActionBins(path, bins);
    const back = loadActionBins(path);
    expect(Array.from(back.longitudinal.centres)).toEqual(Array.from(bins.longitudinal.centres));
    expect(Array.from(back.lateral.edges)).toEqual(Array.from(bins.lateral.edges));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(JSON.stringify(back)), steps: -1 }));
    expect(() => loadActionBins(bad)).toThrow(InputError);
    expect(() => loadActionBins(bad)).toThrow(`${bad}: steps`);
  });
});
