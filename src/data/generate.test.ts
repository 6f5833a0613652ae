import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { LOCK_FILE, RunFolderBusyError } from '../core/lock.js';
import { PLAN_STEPS } from '../labels/action-bins.js';
import { fakeSimDeps } from './fixtures.js';
import { ACTION_BINS_FILE, type GenerateDeps, generateLake, SETTINGS_FILE } from './generate.js';
import { LakeWriter } from './lake.js';
import { clipFile, tempFiles } from './lake-paths.js';
import { LakeReader } from './lake-reader.js';
import { dataPreset } from './presets.js';
import type { ClipRecord } from './records.js';
import { lakeStats } from './stats.js';

const CRASH = 'simulated kill';

/**
 * Deps on the hand-built road: ego's speed depends on the seed; the real lake, with every written clip
 * recorded, and a kill (a throw inside writeClip, after its table files and before its commit) on request.
 */
function fakeDeps(options: { killAtWrite?: number } = {}): GenerateDeps & { written: ClipRecord[] } {
  const written: ClipRecord[] = [];
  return {
    written,
    ...fakeSimDeps(),
    openLake: async (out) => {
      const lake = await LakeWriter.open(out);
      return {
        hasClip: (key) => lake.hasClip(key),
        close: () => lake.close(),
        writeClip: async (clip) => {
          if (written.length === options.killAtWrite) {
            // What a kill inside writeClip leaves: some table files (of fewer frames: the rerun must replace
            // them), no commit marker, and a half-written temp file of the marker.
            await lake.writeClip({ ...clip, frames: clip.frames.slice(0, 1) });
            const marker = clipFile(out, 'clips', clip);
            renameSync(marker, `${marker}.0badc0ffee.tmp`);
            truncateSync(`${marker}.0badc0ffee.tmp`, 10);
            await lake.close();
            throw new Error(CRASH);
          }
          await lake.writeClip(clip);
          written.push(clip);
        },
      };
    },
  };
}

const runFolder = () => mkdtempSync(join(tmpdir(), 'drivefm-gen-'));

describe('generateLake', () => {
  it('is deterministic, writes every clip of the preset once, and a rerun writes nothing', async () => {
    const [a, b] = [runFolder(), runFolder()];
    const depsA = fakeDeps();
    const depsB = fakeDeps();
    const first = await generateLake({ preset: 'tiny', out: a, seed: 3, quiet: true }, depsA);
    const preset = dataPreset('tiny');
    expect(first.written).toBe(preset.families.length * (preset.seedsPerFamily + preset.perturbedPerFamily));
    await generateLake({ preset: 'tiny', out: b, seed: 3, quiet: true }, depsB);
    expect(depsA.written.map((c) => c.clipId)).toEqual(depsB.written.map((c) => c.clipId));
    expect(JSON.stringify(depsA.written)).toBe(JSON.stringify(depsB.written));
    expect(readFileSync(join(a, ACTION_BINS_FILE), 'utf8')).toBe(
      readFileSync(join(b, ACTION_BINS_FILE), 'utf8'),
    );
    const frame = depsA.written[0]!.frames[0]!;
    expect(frame.actions.length).toBe(2 * PLAN_STEPS);
    expect(frame.qa.length).toBeGreaterThan(10);
    expect(new Set(frame.qa.map((q) => q.category)).size).toBe(6);
    expect(depsA.written[0]!.metrics.progress).toBe(depsA.written[0]!.seed % 100);

    const again = await generateLake({ preset: 'tiny', out: a, seed: 3, quiet: true }, depsA);
    expect(again).toMatchObject({ written: 0, skipped: first.clips });
    expect(depsA.written).toHaveLength(first.written);
  });

  it('keeps only the frames of a perturbed clip whose next 4 s hold no noise', async () => {
    const deps = fakeDeps();
    await generateLake({ preset: 'tiny', out: runFolder(), quiet: true }, deps);
    const steps = (source: string) =>
      deps.written.find((c) => c.source === source)!.frames.map((f) => f.step);
    expect(steps('expert')).toEqual([0, 10, 20, 30, 40]); // every 10 steps with a whole 40-step future
    expect(steps('perturbed')).toEqual([20, 30, 40]); // 0 and 10 have the burst [10, 20) ahead
  });

  it('after a kill half-way, a rerun completes the lake with no duplicate and no broken file', async () => {
    const out = runFolder();
    const killed = fakeDeps({ killAtWrite: 4 });
    await expect(generateLake({ preset: 'tiny', out, quiet: true }, killed)).rejects.toThrow(CRASH);
    expect(killed.written).toHaveLength(4);
    expect(tempFiles(out)).toHaveLength(1);

    const rerun = fakeDeps();
    const summary = await generateLake({ preset: 'tiny', out, quiet: true }, rerun);
    expect(summary.skipped).toBe(4);
    expect(summary.written).toBe(summary.clips - 4);
    expect(tempFiles(out)).toEqual([]);
    const lake = await LakeReader.open(out); // validates every file
    const stats = await lakeStats(lake);
    const all = [...killed.written, ...rerun.written].flatMap((c) => c.frames);
    expect(stats.tables.clips).toBe(summary.clips);
    expect(stats.tables.frames).toBe(all.length);
    expect(stats.tables.qa).toBe(all.reduce((n, f) => n + f.qa.length, 0));
    expect(stats.uncommittedClips).toBe(0);
    const [dup] = await lake.query(
      'select count(*) as n from (select clip_id, step from frames group by clip_id, step having count(*) > 1)',
    );
    expect(Number(dup!.n)).toBe(0);
    await lake.close();
  });

  it('refuses to mix seeds in one run folder', async () => {
    const deps = fakeDeps();
    const out = runFolder();
    await generateLake({ preset: 'tiny', out, seed: 0, quiet: true }, deps);
    const mixed = generateLake({ preset: 'tiny', out, seed: 1, quiet: true }, deps);
    await expect(mixed).rejects.toThrow(InputError);
    await expect(generateLake({ preset: 'tiny', out, seed: 1, quiet: true }, deps)).rejects.toThrow(
      /generate.json: seed/,
    );
  });

  it('refuses a folder another live process writes into, leaving its temp files alone', async () => {
    const out = runFolder();
    const live = join(out, 'lake', 'clips', 'live-writer.parquet.0123456789ab.tmp');
    mkdirSync(dirname(live), { recursive: true });
    writeFileSync(live, 'being written');
    writeFileSync(join(out, LOCK_FILE), `${JSON.stringify({ pid: process.ppid, command: 'drivefm run' })}\n`);
    const second = generateLake({ preset: 'tiny', out, quiet: true }, fakeDeps());
    await expect(second).rejects.toThrow(RunFolderBusyError);
    expect(readFileSync(live, 'utf8')).toBe('being written');
    expect(existsSync(join(out, SETTINGS_FILE))).toBe(false);
  });
});
