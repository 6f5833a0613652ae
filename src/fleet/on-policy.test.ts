import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeExpertLog, fakeSimDeps } from '../data/fixtures.js';
import { generateLake } from '../data/generate.js';
import { LakeWriter } from '../data/lake.js';
import { LakeReader } from '../data/lake-reader.js';
import { splitOf } from '../data/splits.js';
import type { Driver, EpisodeLog } from '../sim/types.js';
import { generateOnPolicy, type OnPolicyDeps, onPolicySeeds } from './on-policy.js';

const driver: Driver = { name: 'fake', reset: () => {}, act: () => ({ action: { accel: 0, curvature: 0 } }) };
const NO_TAKEOVER_AT = 20; // [step] the fake expert finds no lane to take over in here

/** Fake deps: the driver's episode is the hand-built one; a takeover marks its log so tests can see it. */
function fakeDeps(takeovers: number[]): OnPolicyDeps {
  const { expertLog: _e, perturbedExpertLog: _p, ...sim } = fakeSimDeps();
  return {
    ...sim,
    openLake: (out) => LakeWriter.open(out),
    runEpisode: (scenario) => fakeExpertLog(scenario),
    expertTakeover: (scenario, _log: EpisodeLog, step) => {
      takeovers.push(step);
      return step === NO_TAKEOVER_AT ? null : fakeExpertLog(scenario);
    },
  };
}

describe('generateOnPolicy', () => {
  it('writes one on-policy clip per training scenario, a frame per takeover, and skips them on a rerun', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drivefm-onpolicy-'));
    await generateLake(
      { preset: 'tiny', out, quiet: true },
      { ...fakeSimDeps(), openLake: (o) => LakeWriter.open(o) },
    );
    const takeovers: number[] = [];
    const options = { out, driver, driverId: 'fake-1', episodesPerFamily: 2, families: ['cut-in'] as const };
    const summary = await generateOnPolicy({ ...options, quiet: true }, fakeDeps(takeovers));
    expect(summary).toMatchObject({ clips: 2, written: 2 });
    expect(takeovers).toEqual([0, 10, 20, 30, 40, 0, 10, 20, 30, 40]); // tiny samples every 10 of 80 steps
    expect(summary.frames).toBe(8); // the step without a takeover has no frame

    const lake = await LakeReader.open(out);
    const clips = await lake.query(
      `select seed, source, split from clips where source = 'on-policy' order by seed`,
    );
    await lake.close();
    expect(clips.map((c) => Number(c.seed))).toEqual(onPolicySeeds('cut-in', 0, 0, 2));
    expect(clips.every((c) => c.split === 'train' && splitOf('cut-in', Number(c.seed)) === 'train')).toBe(
      true,
    );

    const again = await generateOnPolicy({ ...options, quiet: true }, fakeDeps([]));
    expect(again).toMatchObject({ written: 0, skipped: 2 });
    const otherDriver = await generateOnPolicy({ ...options, driverId: 'fake-2', quiet: true }, fakeDeps([]));
    expect(otherDriver.written).toBe(2);
  });

  it('drives other scenarios in another round', () => {
    const first = onPolicySeeds('jaywalker', 0, 0, 5);
    const second = onPolicySeeds('jaywalker', 1, 0, 5);
    expect(first).toHaveLength(5);
    expect(first.filter((s) => second.includes(s))).toEqual([]);
  });
});
