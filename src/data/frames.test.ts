import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIGHT_STATE_KEY } from '../labels/tsl.js';
import { generateDeps } from './deps.js';
import { type LakeFrame, readFrames } from './frames.js';
import { generateLake } from './generate.js';
import { LakeReader } from './lake-reader.js';

const lightOf = (r: LakeFrame) => r.qa.find((q) => q.key === LIGHT_STATE_KEY)?.answer;
const countBy = (records: readonly LakeFrame[]) => {
  const counts: Record<string, number> = {};
  for (const r of records) counts[lightOf(r)!] = (counts[lightOf(r)!] ?? 0) + 1;
  return counts;
};

describe('readFrames', () => {
  const root = mkdtempSync(join(tmpdir(), 'lake-data-'));
  let lake: LakeReader;
  beforeAll(async () => {
    await generateLake({ preset: 'tiny', out: root, quiet: true }, generateDeps());
    lake = await LakeReader.open(root);
  }, 120_000);
  afterAll(async () => {
    await lake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("draws frames balanced over a QA key's answers, so the rare ones are not drowned", async () => {
    const all = await readFrames(lake, { maxFrames: 1_000_000, seed: 0 });
    const natural = countBy(all);
    const rarest = Math.min(...Object.values(natural));
    const strata = Object.keys(natural).length;
    expect(strata).toBeGreaterThanOrEqual(2); // the tiny lake has frames with and without a light
    expect(Math.max(...Object.values(natural))).toBeGreaterThan(rarest);

    const balanced = await readFrames(lake, {
      maxFrames: rarest * strata,
      seed: 3,
      balanceBy: LIGHT_STATE_KEY,
    });
    expect(Object.values(countBy(balanced))).toEqual(Array(strata).fill(rarest));
    const plain = await readFrames(lake, { maxFrames: rarest * strata, seed: 3 });
    expect(Object.values(countBy(plain))).not.toEqual(Array(strata).fill(rarest));
  });

  it('takes every frame once when asked for more than the split holds, balanced or not', async () => {
    const ids = (records: readonly LakeFrame[]) => records.map((r) => `${r.clipId}:${r.step}`);
    const all = ids(await readFrames(lake, { maxFrames: 1_000_000, seed: 0 }));
    const balanced = ids(
      await readFrames(lake, { maxFrames: 1_000_000, seed: 1, balanceBy: LIGHT_STATE_KEY }),
    );
    expect(balanced).toEqual(all); // a stable order, whatever the draw
    expect(new Set(all).size).toBe(all.length);
  });
});
