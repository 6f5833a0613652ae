// Checks the sensors' public face: shapes agree with every model preset, render and observe produce the same
// frame for the same instant, output is byte-identical across calls, and ego state is read from agent 0.

import { describe, expect, it } from 'vitest';
import { VLA_PRESETS } from '../model/config.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from '../sim/metrics/fixtures.js';
import { allocIntents } from '../sim/state.js';
import type { WorldState } from '../sim/types.js';
import {
  BEV_CHANNELS,
  BEV_SIZE,
  CAMERA_HEIGHT,
  CAMERA_WIDTH,
  EGO_STATE_FIELDS,
  egoStateVector,
  observe,
  render,
  snapshotFromLog,
} from './index.js';

describe('sensors', () => {
  const scenario = scenarioOn(twoWayRoad());
  const log = buildLog({
    steps: 30,
    agents: [straightMotion(50, 10, -1), straightMotion(70, 8), straightMotion(120, 9, 0, 3.5)],
    lights: (_, t) => (t < 15 ? 0 : 2),
  });
  log.accel.fill(-1, 0, 31);
  log.yawRate.fill(0.02, 0, 31);

  it('match the image shapes of every model preset', () => {
    for (const [name, preset] of Object.entries(VLA_PRESETS)) {
      expect([preset.camera.width, preset.camera.height], name).toEqual([CAMERA_WIDTH, CAMERA_HEIGHT]);
      expect([preset.bev.size, preset.bev.channels], name).toEqual([BEV_SIZE, BEV_CHANNELS]);
    }
  });

  it('render fresh, byte-identical frames of the right size', () => {
    const a = render(scenario, log, 20);
    const b = render(scenario, log, 20);
    expect(a.camera.length).toBe(CAMERA_HEIGHT * CAMERA_WIDTH * 3);
    expect(a.bev.length).toBe(BEV_CHANNELS * BEV_SIZE * BEV_SIZE);
    expect(b.camera).not.toBe(a.camera);
    expect(Buffer.from(b.camera).equals(Buffer.from(a.camera))).toBe(true);
    expect(Buffer.from(b.bev).equals(Buffer.from(a.bev))).toBe(true);
    const other = render(scenario, log, 10); // light green, not red: the frames differ
    expect(Buffer.from(other.bev).equals(Buffer.from(a.bev))).toBe(false);
  });

  it('observe a live state like render reads the log, plus ego state', () => {
    const snap = snapshotFromLog(scenario, log, 20);
    const state: WorldState = {
      step: 20,
      t: 2,
      agents: {
        ...snap.agents,
        laneId: new Int32Array(snap.agents.count),
        laneS: new Float32Array(snap.agents.count),
      },
      intents: allocIntents(snap.agents.count),
      lights: snap.lights,
    };
    const seen = observe(scenario, state);
    const rendered = render(scenario, log, 20);
    expect(Buffer.from(seen.camera).equals(Buffer.from(rendered.camera))).toBe(true);
    expect(Buffer.from(seen.bev).equals(Buffer.from(rendered.bev))).toBe(true);
    expect(seen.ego.speed).toBeCloseTo(10 - 2, 5);
    expect(seen.ego.accel).toBe(-1);
    expect(seen.ego.yawRate).toBeCloseTo(0.02, 6);
    expect(EGO_STATE_FIELDS).toEqual(['speed', 'accel', 'yawRate']);
    expect([...egoStateVector(seen.ego)]).toEqual([seen.ego.speed, -1, Math.fround(0.02)]);
  });
});
