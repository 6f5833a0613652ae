import { describe, expect, it } from 'vitest';
import { cotTrace } from './cot.js';
import { redLightFrame } from './fixtures.js';
import { labelFrame } from './frame-labels.js';

describe('chain-of-thought traces', () => {
  it('name the red light, the critical road users, the rule and the stop when the expert stops for red', () => {
    const frame = redLightFrame();
    const trace = cotTrace(frame, labelFrame(frame));
    expect(trace.speed).toBe('stop');
    expect(trace.critical).toEqual([3, 1]); // the pedestrian and the queued car
    expect(trace.long).toBe(
      'Red light 40 m ahead; pedestrian 15 m ahead, crossing your path; ' +
        'lead vehicle 25 m ahead, stopped, likely to stay. Rule: stop at a red light. ' +
        'Decision: decelerate to stop before the line.',
    );
    expect(trace.short).toBe('red 40m; ped 15m; lead 25m; stop');
    const ratio = trace.long.length / trace.short.length;
    expect(ratio).toBeGreaterThanOrEqual(3);
    expect(ratio).toBeLessThanOrEqual(6);
  });
});
