import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { fakeClip } from './fixtures.js';
import { LakeWriter } from './lake.js';
import { clipFile, filesUnder, lakeRoot, tableFiles, tempFiles } from './lake-paths.js';
import { LakeReader } from './lake-reader.js';
import { OPTIONAL_TABLES, SCHEMA_VERSION, TABLE_NAMES } from './schema.js';
import { lakeStats } from './stats.js';

const runFolder = () => mkdtempSync(join(tmpdir(), 'drivefm-lake-'));

async function write(out: string, clips: ReturnType<typeof fakeClip>[]): Promise<void> {
  const lake = await LakeWriter.open(out);
  for (const clip of clips) if (!(await lake.hasClip(clip))) await lake.writeClip(clip);
  await lake.close();
}

async function withReader<T>(out: string, f: (lake: LakeReader) => Promise<T>): Promise<T> {
  const lake = await LakeReader.open(out);
  try {
    return await f(lake);
  } finally {
    await lake.close();
  }
}

/** Content hash of every file in the lake, by path. */
function snapshot(out: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(lakeRoot(out), '').map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]),
  );
}

async function expectInputError(out: string, file: string): Promise<InputError> {
  const error = await LakeReader.open(out).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).file).toBe(file);
  expect((error as InputError).message).toContain(file);
  return error as InputError;
}

describe('the lake', () => {
  it('round-trips a clip: rows, partitions, bytes and label JSON', async () => {
    const out = runFolder();
    const clip = fakeClip('cut-in', 1_000_003, { frames: 4 });
    await write(out, [clip]);
    await withReader(out, async (lake) => {
      const frames = await lake.query('select * from frames order by step');
      expect(frames.map((f) => f.step)).toEqual([0, 10, 20, 30]);
      expect(frames[0]!.family).toBe('cut-in');
      expect(['train', 'val', 'test']).toContain(frames[0]!.split);
      expect(Array.from(frames[1]!.camera as Uint8Array)).toEqual(Array.from(clip.frames[1]!.camera));
      expect(frames[0]!.schema_version).toBe(SCHEMA_VERSION);
      const [tsl] = await lake.query(`select label from labels where category = 'tsl' and step = 0`);
      expect(JSON.parse(String(tsl!.label))).toEqual({
        lightId: 0,
        state: 'red',
        distance: 40,
        timeToChange: 5,
      });
      const [traj] = await lake.query(`select label from labels where category = 'trajectory' and step = 0`);
      expect(JSON.parse(String(traj!.label)).ego).toEqual([4, 0, 8, 0]);
      const [act] = await lake.query('select tokens from actions where step = 10');
      expect(act!.tokens).toEqual(Array.from(clip.frames[1]!.actions));
      const [cot] = await lake.query('select short, critical from cot where step = 0');
      expect(cot).toEqual({ short: 'red 40m; stop', critical: [1, 2] });
      const stats = await lakeStats(lake);
      expect(stats.tables).toEqual({
        clips: 1,
        frames: 4,
        labels: 24,
        qa: 24,
        cot: 4,
        actions: 4,
        uploads: 0,
        auto_labels: 0,
      });
      expect(stats.categories.tsl).toEqual({ labels: 4, qa: 4 });
      expect(stats.families['cut-in']!.clips).toBe(1);
    });
  });

  it('keeps one copy of a clip written twice', async () => {
    const out = runFolder();
    const clip = fakeClip('jaywalker', 1_000_001);
    await write(out, [clip]);
    const lake = await LakeWriter.open(out);
    expect(await lake.hasClip(clip)).toBe(true);
    await lake.writeClip(clip); // even forced, the file is replaced, not added
    await lake.close();
    for (const table of TABLE_NAMES)
      expect(tableFiles(out, table)).toHaveLength(OPTIONAL_TABLES.has(table) ? 0 : 1); // an expert clip: no upload
    const stats = await withReader(out, lakeStats);
    expect(stats.tables.clips).toBe(1);
    expect(stats.tables.frames).toBe(3);
  });

  it('recovers from a kill half-way: no duplicate, no broken file, temp files gone', async () => {
    const out = runFolder();
    const a = fakeClip('nominal-urban', 1_000_000);
    const b = fakeClip('nominal-urban', 1_000_001);
    await write(out, [a, b]);
    // The kill: b's tables are written but its commit marker is not, and two writes died mid-file.
    rmSync(clipFile(out, 'clips', b));
    const framesB = clipFile(out, 'frames', b);
    writeFileSync(`${framesB}.1a2b3c.tmp`, readFileSync(framesB).subarray(0, 100));
    writeFileSync(`${clipFile(out, 'clips', b)}.4d5e6f.tmp`, 'PAR1');
    expect(tempFiles(out)).toHaveLength(2);

    const before = await withReader(out, lakeStats); // readers ignore temp files and uncommitted clips
    expect(before.tables).toMatchObject({ clips: 1, frames: 3, qa: 18 });
    expect(before.uncommittedClips).toBe(1);

    await write(out, [a, b]); // the rerun
    expect(tempFiles(out)).toEqual([]);
    await withReader(out, async (lake) => {
      const stats = await lakeStats(lake);
      expect(stats.tables).toEqual({
        clips: 2,
        frames: 6,
        labels: 36,
        qa: 36,
        cot: 6,
        actions: 6,
        uploads: 0,
        auto_labels: 0,
      });
      expect(stats.uncommittedClips).toBe(0);
      const [dup] = await lake.query(
        'select count(*) as n from (select clip_id, step from frames group by all having count(*) > 1)',
      );
      expect(Number(dup!.n)).toBe(0);
    });
  });

  it('names a truncated Parquet file and touches nothing', async () => {
    const out = runFolder();
    const clips = [fakeClip('lead-brake', 1_000_000), fakeClip('lead-brake', 1_000_001)];
    await write(out, clips);
    const broken = clipFile(out, 'qa', clips[1]!);
    truncateSync(broken, 200);
    const files = snapshot(out);
    const error = await expectInputError(out, broken);
    expect(error.message).toMatch(/truncated Parquet file/);
    expect(snapshot(out)).toEqual(files);
  });

  it('names a foreign file: a CSV renamed .parquet, or Parquet with other columns', async () => {
    const out = runFolder();
    const clip = fakeClip('cut-in', 1_000_000);
    await write(out, [clip]);
    const csv = join(dirname(clipFile(out, 'frames', clip)), 'notes.parquet');
    writeFileSync(csv, 'clip_id,step\nabc,0\n');
    const files = snapshot(out);
    expect((await expectInputError(out, csv)).message).toMatch(/not a Parquet file/);
    expect(snapshot(out)).toEqual(files);
    rmSync(csv);

    const other = join(dirname(clipFile(out, 'cot', clip)), 'other.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(`copy (select 1 as a, 'x' as clip_id) to '${other}' (format parquet)`);
    connection.closeSync();
    const withOther = snapshot(out);
    expect((await expectInputError(out, other)).message).toMatch(
      /not a 'cot' lake file: columns \(a, clip_id\)/,
    );
    expect(snapshot(out)).toEqual(withOther);
  });

  it('names a Parquet file outside the partition layout', async () => {
    const out = runFolder();
    const clip = fakeClip('cut-in', 1_000_000);
    await write(out, [clip]);
    const stray = join(out, 'lake', 'qa', 'family=cut-in', 'copy.parquet');
    copyFileSync(clipFile(out, 'qa', clip), stray);
    expect((await expectInputError(out, stray)).message).toMatch(/not in the lake's layout/);
  });

  it('names a file whose footer is corrupt though its magic bytes are intact', async () => {
    const out = runFolder();
    const clip = fakeClip('cut-in', 1_000_000);
    await write(out, [clip]);
    const file = clipFile(out, 'actions', clip);
    const bytes = readFileSync(file);
    bytes.fill(0xff, bytes.length - 60, bytes.length - 8); // scramble the footer, keep length and magic
    writeFileSync(file, bytes);
    expect((await expectInputError(out, file)).message).toMatch(/unreadable Parquet file/);
  });

  it('names a file written with another schema version', async () => {
    const out = runFolder();
    const clip = fakeClip('cut-in', 1_000_000);
    await write(out, [clip]);
    const file = clipFile(out, 'frames', clip);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `copy (select * replace (99 as schema_version) from read_parquet('${file}', hive_partitioning = false)) to '${file}.v2' (format parquet)`,
    );
    connection.closeSync();
    renameSync(`${file}.v2`, file);
    expect((await expectInputError(out, file)).message).toMatch(
      /schema version 99; this drivefm reads version 2/,
    );
  });

  it('refuses a run folder without a lake', async () => {
    const out = runFolder();
    await expect(LakeReader.open(out)).rejects.toThrow(/no lake here/);
    expect(existsSync(lakeRoot(out))).toBe(false);
  });
});
