import { describe, expect, it } from 'vitest';
import { PLAN_STEPS } from './action-bins.js';
import { dynamicLabel } from './dynamic.js';
import { redLightFrame, turnedFrame } from './fixtures.js';
import { logIndex } from './frame.js';
import { trajectoryLabel, trajectoryQa } from './trajectory.js';

describe('trajectory labels', () => {
  it("give ego's and agents' logged futures every 0.5 s in ego's frame now", () => {
    const frame = turnedFrame();
    const label = trajectoryLabel(frame, dynamicLabel(frame));
    expect(label.ego.length).toBe(2 * PLAN_STEPS);
    expect(Array.from(label.ego).every((v) => Math.abs(v) < 1e-4)).toBe(true); // ego stands still
    const agent = label.agents[0]!;
    const i = logIndex(frame.log, 1, frame.step + 20); // the 2 s point
    const dx = frame.log.x[i]! - 10;
    const dy = frame.log.y[i]! - 20;
    expect(agent.xy[2 * 3]).toBeCloseTo(Math.cos(0.5) * dx + Math.sin(0.5) * dy, 4);
    expect(agent.xy[2 * 3 + 1]).toBeCloseTo(-Math.sin(0.5) * dx + Math.cos(0.5) * dy, 4);
  });

  it('answer where ego stops', () => {
    const frame = redLightFrame();
    const qa = Object.fromEntries(
      trajectoryQa(trajectoryLabel(frame, dynamicLabel(frame)), 0).map((q) => [q.key, q.answer]),
    );
    expect(qa.ego_in_4s).toBe('18 m ahead, 0 m left'); // 12 m/s braking at 4 m/s2 stops after 18 m
    expect(qa.ego_distance_2s).toBe('16 m');
  });
});
