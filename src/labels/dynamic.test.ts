import { describe, expect, it } from 'vitest';
import { dynamicLabel, dynamicQa, leadParticipant } from './dynamic.js';
import { redLightFrame, turnedFrame } from './fixtures.js';
import { logIndex } from './frame.js';

describe('dynamic labels', () => {
  it("give each participant's state rotated into ego's frame", () => {
    const frame = turnedFrame();
    const [p] = dynamicLabel(frame).participants;
    const { log, step } = frame;
    const i = logIndex(log, 1, step);
    const dx = log.x[i]! - 10;
    const dy = log.y[i]! - 20;
    const c = Math.cos(0.5);
    const s = Math.sin(0.5);
    expect(p!.kind).toBe('vehicle');
    expect(p!.x).toBeCloseTo(c * dx + s * dy, 4);
    expect(p!.y).toBeCloseTo(-s * dx + c * dy, 4);
    expect(p!.heading).toBeCloseTo(-0.5, 5);
    expect(p!.vx).toBeCloseTo(8 * Math.cos(-0.5), 4);
    expect(p!.vy).toBeCloseTo(8 * Math.sin(-0.5), 4);
  });

  it('find the stopped car ahead in the lane and answer about it', () => {
    const label = dynamicLabel(redLightFrame());
    expect(label.participants.map((p) => p.agent)).toEqual([3, 1]); // nearest first; the oncoming car is beyond 50 m
    const lead = leadParticipant(label);
    expect(lead?.agent).toBe(1);
    expect(lead?.x).toBeCloseTo(25, 4);
    const qa = Object.fromEntries(dynamicQa(label, 1).map((q) => [q.key, q.answer]));
    expect(qa).toMatchObject({
      lead_distance: '25 m',
      lead_speed: '0 m/s',
      pedestrians_near: '1',
      vehicles_near: '1',
    });
  });
});
