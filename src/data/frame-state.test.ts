import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { observe } from '../sensors/index.js';
import { HISTORY_STEPS } from '../sim/plan-scorer/index.js';
import { generateDeps } from './deps.js';
import { FrameStates, frameClips } from './frame-state.js';
import { generateLake } from './generate.js';
import { LakeReader } from './lake-reader.js';

describe('FrameStates', () => {
  const root = mkdtempSync(join(tmpdir(), 'frame-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('replays every expert and perturbed frame of a lake to the stored ego state and the stored images', async () => {
    const run = join(root, 'run');
    await generateLake({ preset: 'tiny', out: run, quiet: true }, generateDeps());
    const lake = await LakeReader.open(run);
    try {
      const rows = await lake.query(
        'select clip_id, step, ego_speed, ego_accel, ego_yaw_rate, camera, bev from frames order by clip_id, step',
      );
      const clips = await frameClips(
        lake,
        rows.map((r) => String(r.clip_id)),
      );
      expect(new Set([...clips.values()].map((c) => c.source))).toEqual(new Set(['expert', 'perturbed']));
      const states = new FrameStates(run);
      let replayed = 0;
      for (const r of rows) {
        const got = states.at(clips.get(String(r.clip_id))!, Number(r.step));
        if (got.kind !== 'replayed') throw new Error(`${r.clip_id} not replayed`);
        const a = got.state.agents;
        expect(got.state.step).toBe(Number(r.step));
        // The lake keeps ego's speed, acceleration and yaw rate (float32, as the log) and the images its pose
        // and every other agent's make: both match bit for bit.
        expect([a.speed[0], a.accel[0], a.yawRate[0]]).toEqual([
          Math.fround(Number(r.ego_speed)),
          Math.fround(Number(r.ego_accel)),
          Math.fround(Number(r.ego_yaw_rate)),
        ]);
        const seen = observe(got.scenario, got.state);
        expect(Buffer.from(seen.camera).equals(Buffer.from(r.camera as Uint8Array))).toBe(true);
        expect(Buffer.from(seen.bev).equals(Buffer.from(r.bev as Uint8Array))).toBe(true);
        expect(got.history.x.length).toBe(Math.min(Number(r.step), HISTORY_STEPS));
        replayed++;
      }
      expect(replayed).toBe(rows.length);
    } finally {
      await lake.close();
    }
  }, 120_000);

  it('does not replay an on-policy clip', () => {
    const states = new FrameStates(join(root, 'run'));
    const got = states.at({ clipId: 'x', family: 'cut-in', seed: 0, source: 'on-policy' }, 10);
    expect(got).toEqual({ kind: 'not-replayable', source: 'on-policy' });
  });
});
