import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, type MetricName, type MetricResult } from './metric.js';
import { type EpisodeScore, epdms, pdms, summarise } from './score.js';

function metrics(values: Partial<Record<MetricName, number | null>>): Record<MetricName, MetricResult> {
  const out = {} as Record<MetricName, MetricResult>;
  for (const name of METRIC_NAMES) {
    const v = values[name];
    out[name] = v === null ? { value: 0, valid: false } : { value: v ?? 1, valid: true };
  }
  return out;
}

describe('pdms and epdms', () => {
  it('follow the NAVSIM formulas on hand-set values', () => {
    const m = metrics({ nc: 1, dac: 1, ttc: 0, ep: 0.8, c: 1, ddc: 0.5, tlc: 1, lk: 0, hc: 1, ec: 0.5 });
    expect(pdms(m)).toBeCloseTo((5 * 0 + 5 * 0.8 + 2 * 1) / 12, 12);
    expect(epdms(m)).toBeCloseTo(0.5 * ((5 * 0.8 + 5 * 0 + 2 * 0 + 2 * 1 + 2 * 0.5) / 16), 12);
  });

  it('multiply by the gating metrics', () => {
    expect(pdms(metrics({ nc: 0.5 }))).toBeCloseTo(0.5, 12);
    expect(pdms(metrics({ dac: 0 }))).toBe(0);
    expect(epdms(metrics({ tlc: 0 }))).toBe(0);
    expect(epdms(metrics({ nc: 0.5, ddc: 0.5 }))).toBeCloseTo(0.25, 12);
  });

  it('count an invalid metric as 1', () => {
    expect(epdms(metrics({ hc: null, ec: null }))).toBe(1);
    expect(epdms(metrics({ hc: null, ec: 0, lk: 1 }))).toBeCloseTo(14 / 16, 12);
  });
});

describe('summarise', () => {
  it('averages scores and metrics over the episodes where they are valid', () => {
    const score = (m: Record<MetricName, MetricResult>, atFault: boolean): EpisodeScore => ({
      family: 'cut-in',
      seed: 1,
      metrics: m,
      pdms: pdms(m),
      epdms: epdms(m),
      atFaultCollision: atFault,
      collisions: [],
    });
    const s = summarise([
      score(metrics({ nc: 0, ep: 0.5, hc: null }), true),
      score(metrics({ ep: 1 }), false),
    ]);
    expect(s.episodes).toBe(2);
    expect(s.atFaultCollisions).toBe(1);
    expect(s.metrics.ep.mean).toBeCloseTo(0.75, 12);
    expect(s.metrics.hc).toEqual({ mean: 1, valid: 1, failed: 0 });
    expect(s.metrics.nc).toEqual({ mean: 0.5, valid: 2, failed: 1 });
    expect(s.pdms).toBeCloseTo((0 + 1) / 2, 12);
  });
});
