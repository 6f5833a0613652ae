import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import type { Driver } from '../sim/types.js';
import { driveEpisode } from './closed-loop.js';
import { EPISODES_DIR, listEpisodes, readEpisode, readEpisodeFrames, saveEpisode } from './episode-record.js';

const tmp = mkdtempSync(join(tmpdir(), 'episode-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Drives straight on at its speed: on jaywalker seed 2 it hits the pedestrian at state 138. */
const blind: Driver = { name: 'blind', reset() {}, act: () => ({ action: { accel: 0, curvature: 0 } }) };
const PNG = [0x89, 0x50, 0x4e, 0x47];

describe('episode records', () => {
  it('save the map, poses, decisions and failure moments, read back by the schema, same bytes twice', () => {
    const driven = driveEpisode(new ExpertDriver(), { family: 'jaywalker', seed: 1 });
    const trace = {
      mode: 'think',
      replans: Array.from({ length: 30 }, (_, k) => ({
        step: 5 * k,
        reasoning: `pedestrian ahead, step ${5 * k}`,
        bins: Int32Array.of(3, 7),
        seconds: 0.0123,
        entropy: 0, // [nats] not read by the records
      })),
    };
    const runs = ['a', 'b'].map((r) => join(tmp, r));
    for (const run of runs) saveEpisode(run, 'teacher-instruct-think', driven, 'expert', trace);
    const file = (run: string) =>
      readFileSync(join(run, EPISODES_DIR, 'teacher-instruct-think', 'jaywalker-1.json'));
    expect(file(runs[1]!).equals(file(runs[0]!))).toBe(true);
    expect(listEpisodes(runs[0]!)).toEqual([{ eval: 'teacher-instruct-think', ids: ['jaywalker-1'] }]);
    const { record, latencyMs } = readEpisode(runs[0]!, 'teacher-instruct-think', 'jaywalker-1');
    expect(latencyMs).toEqual(new Array(30).fill(12.3));
    expect(record.steps).toBe(150);
    expect(record.agents[0]!.x).toHaveLength(151);
    expect(record.agents[0]!.x[0]).toBe(Math.round(driven.log.x[0]! * 100) / 100);
    expect(record.map.lanes.length).toBe(driven.scenario.map.lanes.length);
    const d = record.decisions[2]!;
    expect([d.step, d.cot, d.tokens, d.mode, d.fallback]).toEqual([
      10,
      'pedestrian ahead, step 10',
      [3, 7],
      'think',
      null,
    ]);
    expect(d.plan).toHaveLength(16); // 8 planned (x, y)
    const frames = readEpisodeFrames(runs[0]!, record);
    expect(frames.camera).toHaveLength(30);
    expect([...frames.camera[2]!.subarray(0, 4)]).toEqual(PNG);
    expect([...frames.bev[2]!.subarray(0, 4)]).toEqual(PNG);
    expect(frames.camera[2]!.equals(frames.camera[3]!)).toBe(false); // ego moved between the two decisions
    expect(record.metrics.nc.failedAt).toBeNull(); // the expert passes
    expect(record.score.epdms).toBe(Math.round(driven.score.epdms * 1e4) / 1e4);
  });

  it('mark the state each sub-metric first failed; EP (progress) never fails', () => {
    const driven = driveEpisode(blind, { family: 'jaywalker', seed: 2 });
    saveEpisode(tmp, 'blind', driven, 'blind', null);
    const { record, latencyMs } = readEpisode(tmp, 'blind', 'jaywalker-2');
    expect(latencyMs).toBeNull(); // no trace: no latencies
    expect(record.decisions).toHaveLength(0); // the blind driver makes no plans
    const hit = record.collisions.find((c) => c.atFault)!;
    expect(record.metrics.nc.failedAt).toBe(hit.step);
    expect(record.metrics.nc.values[hit.step]).toBe(0);
    expect(record.metrics.dac.failedAt).toBeGreaterThan(0);
    expect(record.metrics.ep.failedAt).toBeNull();
  });

  it('refuse a damaged record with the file and field named', () => {
    const path = join(tmp, EPISODES_DIR, 'blind', 'jaywalker-2.json');
    const record = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...record, steps: 'many' }));
    expect(() => readEpisode(tmp, 'blind', 'jaywalker-2')).toThrow(InputError);
    expect(() => readEpisode(tmp, 'blind', 'jaywalker-2')).toThrow(/jaywalker-2\.json.*steps/);
  });
});
