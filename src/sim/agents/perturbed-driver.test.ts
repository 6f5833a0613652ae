import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expertLog, perturbedExpertLog } from '../rollout.js';
import { createScenario } from '../scenarios/index.js';
import { burstSchedule } from './perturbed-driver.js';

describe('burstSchedule', () => {
  it('ends bursts on the alignment, 1 s long, with at least 4 s of calm between them', () => {
    const bursts = burstSchedule(300, 5, new Rng(7));
    expect(bursts.length).toBeGreaterThan(2);
    for (const [i, b] of bursts.entries()) {
      expect(b.end % 5).toBe(0);
      expect(b.end - b.start).toBe(10);
      expect(b.end).toBeLessThanOrEqual(300);
      if (i > 0) expect(b.start - bursts[i - 1]!.end).toBeGreaterThanOrEqual(40);
    }
  });
});

describe('PerturbedDriver', () => {
  it('pushes the expert off its course during a burst, and the expert comes back', () => {
    const scenario = createScenario('highway-cruise', 3);
    const clean = expertLog(scenario);
    const { log, bursts } = perturbedExpertLog(scenario, 5);
    expect(bursts.length).toBeGreaterThan(0);
    const first = bursts[0]!;
    // before the first burst both drive the same; after it ego is off the clean course
    const gap = (step: number) => Math.hypot(log.x[step]! - clean.x[step]!, log.y[step]! - clean.y[step]!);
    expect(gap(first.start)).toBe(0);
    expect(gap(first.end)).toBeGreaterThan(0.3); // [m]
    // 4 s after the burst the expert is back in the lane: sideways offset from the clean run small again
    const later = first.end + 40;
    const heading = clean.heading[later]!;
    const sideways =
      -(log.x[later]! - clean.x[later]!) * Math.sin(heading) +
      (log.y[later]! - clean.y[later]!) * Math.cos(heading);
    expect(Math.abs(sideways)).toBeLessThan(0.3); // [m]
  });

  it('is deterministic per scenario', () => {
    const scenario = createScenario('nominal-urban', 5);
    const a = perturbedExpertLog(scenario, 5);
    const b = perturbedExpertLog(scenario, 5);
    expect(a.bursts).toEqual(b.bursts);
    expect(Buffer.from(a.log.x.buffer)).toEqual(Buffer.from(b.log.x.buffer));
  });
});
