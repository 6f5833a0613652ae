import { describe, expect, it } from 'vitest';
import { LightColour } from '../types.js';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { Reward } from './reward.js';
import { scoreEpisode, scoreSeries } from './score.js';
import { episodeSeries } from './series.js';

describe('scoreEpisode', () => {
  it('gives a clean drive PDMS 1 and EPDMS 1 and invalid plan metrics', () => {
    const log = buildLog({ steps: 50, agents: [straightMotion(10, 10)] });
    const s = scoreEpisode(scenarioOn(twoWayRoad()), log, { referenceProgress: 50 });
    expect(s.pdms).toBeCloseTo(1, 6);
    expect(s.epdms).toBeCloseTo(1, 6);
    expect(s.metrics.hc.valid).toBe(false);
    expect(s.atFaultCollision).toBe(false);
  });

  it('zeroes EPDMS but not PDMS for a red light, and halves EP against a better reference', () => {
    const log = buildLog({ steps: 50, agents: [straightMotion(80, 10)], lights: () => LightColour.red });
    const s = scoreEpisode(scenarioOn(twoWayRoad()), log, { referenceProgress: 100 });
    expect(s.metrics.tlc.value).toBe(0);
    expect(s.metrics.ep.value).toBeCloseTo(0.5, 4);
    expect(s.epdms).toBe(0);
    expect(s.pdms).toBeCloseTo((5 + 5 * 0.5 + 2) / 12, 4);
  });
});

describe('Reward', () => {
  it('reads episode values and dense per-step values from the same series', () => {
    const log = buildLog({ steps: 50, agents: [straightMotion(80, 10)], lights: () => LightColour.red });
    const ctx = new EpisodeContext(scenarioOn(twoWayRoad()), log, { referenceProgress: 100 });
    const series = episodeSeries(ctx);
    const reward = new Reward({ 'compliance.tlc': 2, 'efficiency.ep': 1 });
    const steps = reward.steps(ctx, series);
    const tlc = Array.from(steps.terms['compliance.tlc'] ?? []);
    // Ego's front (x + 2.5) is past the line at x = 100 into states 18..50: 33 steps over the red area.
    expect(tlc.filter((v) => v !== 0)).toEqual(new Array(33).fill(-1));
    const ep = (steps.terms['efficiency.ep'] ?? new Float32Array()).reduce((a, b) => a + b, 0);
    expect(ep).toBeCloseTo(50 / 100, 4);
    expect(steps.total.reduce((a, b) => a + b, 0)).toBeCloseTo(-2 * 33 + 0.5, 4);
    const episode = reward.episode(scoreSeries(ctx, series));
    expect(episode.terms).toEqual({ 'compliance.tlc': 0, 'efficiency.ep': expect.closeTo(0.5, 4) });
    expect(episode.total).toBeCloseTo(0.5, 4);
  });
});
