import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeSimDeps } from '../data/fixtures.js';
import { ACTION_BINS_FILE, generateLake } from '../data/generate.js';
import { LakeWriter } from '../data/lake.js';
import { tableFiles } from '../data/lake-paths.js';
import { LakeReader } from '../data/lake-reader.js';
import { loadActionBins } from '../labels/action-bins.js';
import { loadRecipe } from '../train/recipe.js';
import { untrainedCheckpoint } from './fixtures.js';
import { fleetRound, roundDir } from './round.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-round-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run folder with a (fake) tiny lake: its settings and action bins are what the round reads. */
async function runFolder(name: string): Promise<string> {
  const out = join(dir, name);
  await generateLake(
    { preset: 'tiny', out, quiet: true },
    { ...fakeSimDeps(), openLake: (o) => LakeWriter.open(o) },
  );
  return out;
}

const tiny = loadRecipe('tiny');
const recipe = { ...tiny, fleet: { ...tiny.fleet, cars: 2 } };

/** The round's report and its lake files (name and bytes) of the fleet tables. */
function roundBytes(run: string): string[] {
  const files = ['uploads', 'auto_labels', 'clips'].flatMap((t) => tableFiles(run, t as 'uploads'));
  return [
    readFileSync(join(roundDir(run, 0), 'fleet.json'), 'utf8'),
    readFileSync(join(roundDir(run, 0), 'fleet.md'), 'utf8'),
    ...files.map((f) => `${relative(run, f)} ${readFileSync(f).toString('base64')}`),
  ];
}

describe('fleetRound', () => {
  it('drives, triggers, uploads and labels; a rerun uploads nothing; the same bytes in another folder', async () => {
    const first = await runFolder('a');
    const bins = loadActionBins(join(first, ACTION_BINS_FILE));
    const model = untrainedCheckpoint(join(dir, 'car'), 3, bins);
    const teacher = untrainedCheckpoint(join(dir, 'teacher'), 4, bins);
    const options = { model, teacher, round: 0, recipe, quiet: true };

    const report = await fleetRound({ ...options, run: first });
    expect(report.cars).toHaveLength(2);
    const fired = report.triggers.reduce((n, t) => n + t.clips, 0);
    expect(fired).toBeGreaterThan(0); // an untrained car is unsure at once: low-confidence fires
    expect(report.uploads.clips).toBe(fired);
    expect(report.written).toBe(fired);
    expect(report.labels.teacher).toBe(report.labels.expert);
    expect(report.labels.teacher).toBeGreaterThan(0);
    expect(Object.keys(report.agreement)).toEqual(expect.arrayContaining(['actions', 'cot', 'tsl']));

    const lake = await LakeReader.open(first);
    const uploads = await lake.query(
      `select u.trigger, u.round, c.source from uploads u join clips c using (clip_id) order by all`,
    );
    const provenance = await lake.query(
      `select distinct labeller, model_version, round from auto_labels order by labeller`,
    );
    await lake.close();
    expect(uploads).toHaveLength(fired);
    expect(uploads.every((u) => u.source === 'fleet' && u.round === 0)).toBe(true);
    expect(provenance).toEqual([
      { labeller: 'expert', model_version: 'privileged', round: 0 },
      { labeller: 'teacher', model_version: report.teacherModel, round: 0 },
    ]);

    const bytes = roundBytes(first);
    const again = await fleetRound({ ...options, run: first });
    expect(again.written).toBe(0); // re-upload is idempotent: content ids
    expect(roundBytes(first)).toEqual(bytes);

    const second = await runFolder('b');
    await fleetRound({ ...options, run: second });
    expect(roundBytes(second)).toEqual(bytes); // deterministic: the same round, the same bytes
  });
});
