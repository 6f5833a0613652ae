import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { fakeClip } from './fixtures.js';
import { LakeWriter } from './lake.js';
import { tableFiles } from './lake-paths.js';
import { LakeReader } from './lake-reader.js';
import { sqlString } from './sql.js';
import { lakeStats } from './stats.js';
import { assertIntact, verifyLake } from './verify.js';

async function tinyLake(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'drivefm-verify-'));
  const lake = await LakeWriter.open(out);
  await lake.writeClip(fakeClip('cut-in', 1, { frames: 6 }));
  await lake.writeClip(fakeClip('jaywalker', 2, { frames: 6 }));
  await lake.close();
  return out;
}

/** Flips 16 bytes in the middle of the largest column chunk's pages: the footer stays intact. */
async function damagePages(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const chunks = (
    await connection.runAndReadAll(
      `select coalesce(dictionary_page_offset, data_page_offset) as start, total_compressed_size as size
       from parquet_metadata(${sqlString(file)}) order by size desc limit 1`,
    )
  ).getRowObjectsJS();
  connection.closeSync();
  instance.closeSync();
  const bytes = readFileSync(file);
  const middle = Number(chunks[0]!.start) + Math.floor(Number(chunks[0]!.size) / 2);
  for (let i = middle; i < middle + 16; i++) bytes[i] = 0xff ^ bytes[i]!;
  writeFileSync(file, bytes);
}

describe('data verify', () => {
  let intact: string;
  beforeAll(async () => {
    intact = await tinyLake();
  });

  it('reads every file of an intact lake', async () => {
    const v = await verifyLake(intact);
    expect(v.damaged).toEqual([]);
    expect(v.files).toBe(12); // 6 tables x 2 clips
    // clips 2, frames 12, labels 6 categories x 12 frames, qa as many, cot 12, actions 12
    expect(v.rows).toBe(2 + 12 + 72 + 72 + 12 + 12);
    expect(() => assertIntact(v)).not.toThrow();
  });

  it('lists every damaged file: one damaged inside its pages, one truncated', async () => {
    const out = await tinyLake();
    const [frames] = tableFiles(out, 'frames');
    const [labels] = tableFiles(out, 'labels');
    await damagePages(frames!);
    truncateSync(labels!, 100);
    const v = await verifyLake(out);
    expect(v.damaged.map((d) => d.file)).toEqual([frames, labels]);
    expect(v.damaged[0]!.reason).toMatch(/decompression|corrupt|invalid/i);
    expect(v.damaged[0]!.reason).not.toContain(frames!); // named once, by the error's file
    expect(() => assertIntact(v)).toThrow(
      new InputError({
        file: frames!,
        message: `damaged Parquet file: ${v.damaged[0]!.reason} (+1 more damaged: ${labels})`,
      }),
    );
  });

  it('data stats does not read the damaged pages; the verify command exits 2 naming the file', async () => {
    const out = await tinyLake();
    const [frames] = tableFiles(out, 'frames');
    await damagePages(frames!);
    const reader = await LakeReader.open(out);
    try {
      expect((await lakeStats(reader)).tables.frames).toBe(12); // counts from the footers: nothing noticed
    } finally {
      await reader.close();
    }
    const run = spawnSync(process.execPath, ['bin/drivefm.js', 'data', 'verify', out], { encoding: 'utf8' });
    expect(run.stderr).toMatch(new RegExp(`^drivefm: ${frames}: damaged Parquet file: [^\\n]+\\n$`));
    expect(run.status).toBe(2);
    const ok = spawnSync(process.execPath, ['bin/drivefm.js', 'data', 'verify', intact], {
      encoding: 'utf8',
    });
    expect(ok.stdout).toBe(`${intact}: 12 lake files intact, 182 rows read\n`);
    expect(ok.status).toBe(0);
  });
});
