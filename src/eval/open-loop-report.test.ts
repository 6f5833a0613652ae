import { describe, expect, it } from 'vitest';
import type { OpenLoopResult } from './open-loop.js';
import { openLoopText } from './open-loop-report.js';

const result: OpenLoopResult = {
  frames: 24,
  qa: { scene: { n: 40, accuracy: 0.75 }, lights: { n: 0, accuracy: 0 } },
  lightState: { n: 8, accuracy: 0.5 },
  actionTokens: { n: 384, accuracy: 0.6123 },
  l2: { mean: 1.234, at4s: 3.456 },
  adherence: { 'keep-lane': { n: 30, accuracy: 0.9 } },
  cotTokens: { n: 900, accuracy: 0.8 },
  cotLength: 41.25,
  plans: {
    frames: 0,
    notReplayable: 2,
    model: null,
    expert: null,
    modelMinusExpert: null,
    atFaultCollisions: { model: 0, expert: 0 },
  },
};

describe('openLoopText', () => {
  it('one row per accuracy with its count, then L2, CoT length and the plan scores; no JSON', () => {
    const text = openLoopText(result);
    expect(text).toMatch(/^open loop on 24 held-out frames\n/);
    expect(text).toMatch(/^qa scene +75\.0% +40$/m);
    expect(text).toMatch(/^qa lights +- +0$/m); // nothing asked: no share
    expect(text).toMatch(/^action tokens +61\.2% +384$/m);
    expect(text).toMatch(/^adherence keep-lane +90\.0% +30$/m);
    expect(text).toContain('plan L2 vs expert: mean 1.23 m, at 4 s 3.46 m; CoT in think mode: 41.3 tokens');
    expect(text).toContain('open-loop plans: no frame scored (2 on-policy frames not replayable)');
    expect(text).not.toContain('{');
  });
});
