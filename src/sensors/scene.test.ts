// Checks that a snapshot read from a log (agent-major (A, T) fields) equals one from the matching live state,
// field by field and in rendered bytes, and that the reusable buffer is reused. Not a test of the renderers.

import { describe, expect, it } from 'vitest';
import { type AgentMotion, buildLog, scenarioOn, twoWayRoad } from '../sim/metrics/fixtures.js';
import { allocIntents } from '../sim/state.js';
import { AgentKind, type EpisodeLog, type WorldState } from '../sim/types.js';
import { renderBev } from './bev.js';
import { renderCamera } from './camera.js';
import { createSnapshotBuffer, snapshotFromLog, snapshotFromState } from './scene.js';

/** The live state a simulator would hold at `step` of the log. */
function stateAt(log: EpisodeLog, step: number): WorldState {
  const n = log.steps + 1;
  const column = <T extends Float32Array | Uint8Array>(field: T): T =>
    field.filter((_, i) => i % n === step) as T;
  return {
    step,
    t: step * 0.1,
    agents: {
      count: log.agents,
      kind: log.kind.slice(),
      valid: column(log.valid),
      x: column(log.x),
      y: column(log.y),
      heading: column(log.heading),
      speed: column(log.speed),
      accel: column(log.accel),
      yawRate: column(log.yawRate),
      length: log.length.slice(),
      width: log.width.slice(),
      laneId: new Int32Array(log.agents).fill(-1),
      laneS: new Float32Array(log.agents),
    },
    intents: allocIntents(log.agents),
    lights: column(log.lights),
  };
}

const moving = (x0: number, y: number, v: number, heading = 0): AgentMotion => ({
  at: (t) => ({ x: x0 + v * t * 0.1 * Math.cos(heading), y, heading, speed: v, valid: t !== 3 }),
});

describe('snapshots', () => {
  const map = twoWayRoad();
  const scenario = scenarioOn(map);
  const log = buildLog({
    steps: 20,
    agents: [
      moving(40, 0, 10),
      moving(60, 0, 8),
      {
        kind: AgentKind.pedestrian,
        length: 0.5,
        width: 0.5,
        at: (t) => ({ x: 70, y: -3 + 0.1 * t, speed: 1 }),
      },
    ],
    lights: (_, t) => (t < 10 ? 0 : 2),
  });
  for (let i = 0; i < log.accel.length; i++) {
    log.accel[i] = i * 0.01;
    log.yawRate[i] = -i * 0.001;
  }

  it('agree between the log and the live state at every step', () => {
    const buffer = createSnapshotBuffer();
    for (const step of [0, 3, 12, 20]) {
      const fromLog = snapshotFromLog(scenario, log, step, buffer);
      const fromState = snapshotFromState(scenario, stateAt(log, step));
      expect(fromLog.agents.count).toBe(3);
      for (const field of [
        'kind',
        'valid',
        'x',
        'y',
        'heading',
        'length',
        'width',
        'speed',
        'accel',
        'yawRate',
      ] as const)
        expect([...fromLog.agents[field]], field).toEqual([...fromState.agents[field]]);
      expect([...fromLog.lights]).toEqual([...fromState.lights]);
      expect(renderCamera(fromLog)).toEqual(renderCamera(fromState));
      expect(renderBev(fromLog)).toEqual(renderBev(fromState));
    }
  });

  it('reads agent-major (A, T) fields', () => {
    const snap = snapshotFromLog(scenario, log, 12);
    expect(snap.agents.x[1]).toBeCloseTo(60 + 8 * 1.2, 4);
    expect(snap.agents.y[2]).toBeCloseTo(-3 + 1.2, 4);
    expect(snap.agents.accel[1]).toBeCloseTo((21 + 12) * 0.01, 5);
    expect(snap.lights[0]).toBe(2);
    expect(snapshotFromLog(scenario, log, 3).agents.valid[1]).toBe(0);
  });

  it('reuses the buffer and refuses steps outside the log', () => {
    const buffer = createSnapshotBuffer();
    const a = snapshotFromLog(scenario, log, 1, buffer);
    const b = snapshotFromLog(scenario, log, 2, buffer);
    expect(b.agents.x).toBe(a.agents.x);
    expect(() => snapshotFromLog(scenario, log, 21)).toThrow(/outside the log/);
  });
});
