import { describe, expect, it } from 'vitest';
import { type EpisodeScore, epdms, METRIC_NAMES, type MetricName, pdms } from '../sim/metrics/index.js';
import type { ScenarioFamily } from '../sim/types.js';
import { pairedIntervals, suiteIntervals } from './intervals.js';

/** An episode whose metrics are all 1 but EP, and HC invalid (as without plans). */
function episode(family: ScenarioFamily, seed: number, ep: number): EpisodeScore {
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, { value: m === 'ep' ? ep : 1, valid: m !== 'hc' }]),
  ) as Record<MetricName, { value: number; valid: boolean }>;
  return {
    family,
    seed,
    metrics,
    pdms: pdms(metrics),
    epdms: epdms(metrics),
    atFaultCollision: false,
    collisions: [],
  };
}

const eps = [0.9, 0.6, 0.8, 0.7, 1, 0.5, 0.95, 0.65];
const a = eps.map((ep, i) => episode(i < 5 ? 'cut-in' : 'jaywalker', i, ep));

describe('suite intervals', () => {
  it('cover each score overall and per family, with an invalid metric counted as 1', () => {
    const s = suiteIntervals(a);
    expect(s.all.ep.estimate).toBeCloseTo(eps.reduce((x, y) => x + y) / eps.length, 12);
    expect(s.all.epdms.estimate).toBeCloseTo((5 * s.all.ep.estimate + 11) / 16, 12);
    expect(s.all.ep.lo).toBeLessThan(s.all.ep.estimate);
    expect(s.all.hc).toEqual({ estimate: 1, lo: 1, hi: 1 });
    expect(s.families.map((f) => [f.family, f.episodes])).toEqual([
      ['cut-in', 5],
      ['jaywalker', 3],
    ]);
    expect(s.bootstrap).toEqual({ resamples: 2000, seed: 0 });
  });
});

describe('paired intervals', () => {
  it('exclude 0 when B progresses further on every episode', () => {
    const b = a.map((e, i) => episode(e.family, e.seed, eps[i]! * 0.9 + 0.1));
    const d = pairedIntervals(a, b);
    expect(d.all.ep.lo).toBeGreaterThan(0);
    expect(d.all.epdms.lo).toBeGreaterThan(0);
    expect(d.all.nc).toEqual({ estimate: 0, lo: 0, hi: 0 });
    expect(d.families[0]!.scores.ep.lo).toBeGreaterThan(0);
  });

  it('refuse drivers that did not drive the same episodes in the same order', () => {
    expect(() => pairedIntervals(a, [...a].reverse())).toThrow(/did not drive the same episodes/);
    expect(() => pairedIntervals(a, a.slice(1))).toThrow(/did not drive the same episodes/);
  });
});
