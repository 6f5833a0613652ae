import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodCases, hardCases } from './curate.js';
import { fakeClip } from './fixtures.js';
import { LakeWriter } from './lake.js';
import { LakeReader } from './lake-reader.js';

describe('curation queries', () => {
  let lake: LakeReader;
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'drivefm-curate-'));
    const writer = await LakeWriter.open(out);
    const clips = [
      fakeClip('nominal-urban', 1, { metrics: { progress: 150 } }), // good
      fakeClip('nominal-urban', 2, { metrics: { progress: 10 } }), // too little progress
      fakeClip('cut-in', 3, { metrics: { collisions: 1, pdms: 0 } }), // collision
      fakeClip('red-light-runner', 4, { metrics: { redLightViolations: 1 } }),
      fakeClip('highway-cruise', 5, { metrics: { comfortable: false } }),
      fakeClip('dense-merge', 6, { metrics: { offroad: true, pdms: 0.4 } }),
      fakeClip('jaywalker', 7, { metrics: { progress: 60 } }), // good
    ];
    for (const clip of clips) await writer.writeClip(clip);
    await writer.close();
    lake = await LakeReader.open(out);
  });
  afterAll(async () => lake.close());

  const ids = (clips: { clipId: string }[]) => clips.map((c) => c.clipId);

  it('picks the good cases: clean, comfortable, enough progress', async () => {
    expect(ids(await goodCases(lake, 50))).toEqual(['jaywalker-7', 'nominal-urban-1']);
    expect(ids(await goodCases(lake, 100))).toEqual(['nominal-urban-1']);
    const [good] = await goodCases(lake, 100);
    expect(good!.metrics.progress).toBe(150);
    expect(good!.frames).toBe(3);
  });

  it('picks hard cases by family, by metric condition and by flag', async () => {
    const families = await hardCases(lake, { kind: 'families', families: ['cut-in', 'jaywalker'] });
    expect(ids(families)).toEqual(['cut-in-3', 'jaywalker-7']);
    expect(ids(await hardCases(lake, { kind: 'metric', metric: 'collisions', op: '>', value: 0 }))).toEqual([
      'cut-in-3',
    ]);
    expect(ids(await hardCases(lake, { kind: 'metric', metric: 'pdms', op: '<', value: 0.5 }))).toEqual([
      'cut-in-3',
      'dense-merge-6',
    ]);
    expect(
      ids(await hardCases(lake, { kind: 'metric', metric: 'red_light_violations', op: '>=', value: 1 })),
    ).toEqual(['red-light-runner-4']);
    expect(ids(await hardCases(lake, { kind: 'flag', flag: 'uncomfortable' }))).toEqual(['highway-cruise-5']);
    expect(ids(await hardCases(lake, { kind: 'flag', flag: 'offroad' }))).toEqual(['dense-merge-6']);
    await expect(
      hardCases(lake, { kind: 'metric', metric: 'pdms; drop' as 'pdms', op: '<', value: 1 }),
    ).rejects.toThrow(/unknown metric/);
  });
});
