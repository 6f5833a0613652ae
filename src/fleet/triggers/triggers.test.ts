import { describe, expect, it } from 'vitest';
import { EpisodeContext, episodeSeries } from '../../sim/metrics/index.js';
import { expertLog, runEpisode } from '../../sim/rollout.js';
import { createScenario } from '../../sim/scenarios/index.js';
import type { Driver, EpisodeLog, Scenario } from '../../sim/types.js';
import type { CarTelemetry } from '../car.js';
import { failedStates, scoreTriggers } from '../truth.js';
import { fireTriggers, TRIGGER_NAMES } from './index.js';

const thresholds = { hardBrake: 4, stallSpeed: 0.2, stallSeconds: 3, entropy: 2.5, disagreement: 3 };
const calm: CarTelemetry = { replans: [{ step: 0, entropy: 0.1, disagreement: 0.2 }], fallbacks: [] };

function input(scenario: Scenario, log: EpisodeLog, telemetry: CarTelemetry = calm) {
  const series = episodeSeries(new EpisodeContext(scenario, log));
  return { scenario, log, series, telemetry, thresholds };
}

/** Holds its speed and wheel: blind to anything ahead. */
const blind: Driver = { name: 'blind', reset: () => {}, act: () => ({ action: { accel: 0, curvature: 0 } }) };

describe('fireTriggers', () => {
  it('fires the collision trigger on a planted collision, inside the window, and the truth agrees', () => {
    const scenario = createScenario('stalled-obstacle', 1);
    const log = runEpisode(scenario, blind);
    const x = input(scenario, log);
    const contact = x.series.collisions.find((c) => c.atFault);
    expect(contact).toBeDefined(); // the plant: driving blind into the stalled car is an at-fault contact
    const events = fireTriggers(x, 20, 20).filter((e) => e.trigger === 'collision');
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.start <= contact!.step && contact!.step <= e.end)).toBe(true);
    const [score] = scoreTriggers([{ failed: failedStates(x.series, log.steps + 1), events }]);
    expect(score).toMatchObject({ trigger: 'collision', precision: 1, recall: 1 });
  });

  it('fires nothing on an expert-driven clip without events', () => {
    const scenario = createScenario('highway-cruise', 2);
    const log = expertLog(scenario);
    const x = input(scenario, log);
    expect(Array.from(failedStates(x.series, log.steps + 1)).every((f) => f === 0)).toBe(true); // no event
    expect(fireTriggers(x, 20, 20)).toEqual([]);
  });

  it('fires the telemetry triggers past their thresholds, one event per window', () => {
    const scenario = createScenario('highway-cruise', 2);
    const log = expertLog(scenario);
    const telemetry: CarTelemetry = {
      replans: [
        { step: 0, entropy: 3, disagreement: 4 },
        { step: 5, entropy: 3, disagreement: 1 },
        { step: 50, entropy: 1, disagreement: 5 },
      ],
      fallbacks: [30],
    };
    const events = fireTriggers(input(scenario, log, telemetry), 20, 20);
    expect(events.map((e) => [e.trigger, e.step, e.value])).toEqual([
      ['low-confidence', 0, 3], // step 5 lies in step 0's window
      ['fallback', 30, 1],
      ['shadow', 0, 4],
      ['shadow', 50, 5],
    ]);
    expect(events[0]).toMatchObject({ start: 0, end: 20 });
  });
});

describe('scoreTriggers', () => {
  it('counts precision over clips and recall over failures, per trigger', () => {
    const failed = new Uint8Array(100);
    failed.fill(1, 10, 13); // one failure, states 10-12
    failed.fill(1, 60, 61); // another at 60
    const events = [
      { trigger: 'shadow', step: 8, value: 4, start: 0, end: 20 }, // holds the first failure
      { trigger: 'shadow', step: 80, value: 4, start: 70, end: 90 }, // holds nothing
      { trigger: 'stall', step: 58, value: 3, start: 55, end: 65 },
    ];
    const scores = scoreTriggers([{ failed, events }]);
    expect(scores.map((s) => s.trigger)).toEqual(TRIGGER_NAMES);
    expect(scores.find((s) => s.trigger === 'shadow')).toMatchObject({
      clips: 2,
      precision: 0.5,
      recall: 0.5,
    });
    expect(scores.find((s) => s.trigger === 'stall')).toMatchObject({ precision: 1, recall: 0.5 });
    expect(scores.find((s) => s.trigger === 'collision')).toMatchObject({
      clips: 0,
      precision: null,
      recall: 0,
    });
  });
});
