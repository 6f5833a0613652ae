// The JobRunner conformance test: every runner with no server (this thread, worker threads) gives the same outputs
// in job order, computes an equal job once, reads back what its store holds and fails a bad job in one line.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreWith } from '../eval/closed-loop.js';
import { saveUntrainedCheckpoint } from '../model/fixtures.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import type { ScenarioFamily } from '../sim/types.js';
import { hashSources, sourceFiles } from './code-version.js';
import type { Job } from './job.js';
import { InProcessRunner, type JobRunner } from './runner.js';
import { JobStore } from './store.js';
import { ThreadRunner } from './threads.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drivefm-runner-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An untrained tiny-student checkpoint in a fresh folder. */
function tinyCheckpoint(): string {
  const dir = tempDir();
  saveUntrainedCheckpoint(dir, { seed: 5 });
  return dir;
}

const expert = (family: ScenarioFamily, seed: number): Job => ({
  kind: 'episode',
  spec: { kind: 'expert' },
  episode: { family, seed },
});
const jobs = [
  expert('cut-in', 3),
  expert('jaywalker', 1),
  expert('cut-in', 3),
  expert('stalled-obstacle', 0),
];
const local = jobs.map((job) => scoreWith(new ExpertDriver(), job.episode));

const runners: [string, (store?: JobStore) => JobRunner][] = [
  ['InProcessRunner', (store) => new InProcessRunner(store)],
  ['ThreadRunner (2 threads)', (store) => new ThreadRunner(2, store)],
];

describe.each(runners)('%s', (_name, make) => {
  it('gives the local outputs in job order, one tick per job, an equal job computed once', async () => {
    const store = new JobStore(tempDir());
    const runner = make(store);
    let ticks = 0;
    const outputs = await runner.run(jobs, () => ticks++);
    expect(ticks).toBe(jobs.length);
    expect(outputs.map((o) => o.score)).toEqual(local);
    expect(outputs.every((o) => o.driver === 'expert')).toBe(true);
    expect(store.keys('episode')).toHaveLength(3);
    // Read back: the stored file is neither rewritten nor recomputed (a poisoned file is returned as it is).
    const path = store.pathOf(jobs[0]!);
    const poisoned = JSON.stringify({ ...outputs[0]!, driver: 'from-the-store' });
    writeFileSync(path, poisoned);
    const mtime = statSync(path).mtimeMs;
    const again = await runner.run([jobs[0]!, jobs[1]!]);
    expect(again[0]!.driver).toBe('from-the-store');
    expect(again[1]).toEqual(outputs[1]);
    expect(readFileSync(path, 'utf8')).toBe(poisoned);
    expect(statSync(path).mtimeMs).toBe(mtime);
    await runner.close();
  });

  it('runs several batches at once and model jobs with the same outputs as this thread', async () => {
    const spec = {
      kind: 'model',
      checkpoint: tinyCheckpoint(),
      mode: 'fast',
      control: 'mean',
      caution: 1,
      seed: 0,
    } as const;
    const model: Job[] = [{ kind: 'episode', spec, episode: { family: 'highway-cruise', seed: 1 } }];
    const reference = new InProcessRunner();
    const expected = await reference.run(model);
    await reference.close();
    const runner = make();
    const [viaModel, viaExpert] = await Promise.all([runner.run(model), runner.run(jobs.slice(0, 2))]);
    expect(viaModel).toEqual(expected);
    expect(viaModel[0]!.driver).toBe('vla-tiny-student-fast');
    expect(viaExpert.map((o) => o.score)).toEqual(local.slice(0, 2));
    await runner.close();
  });

  it('fails a job whose driver cannot be built with one line naming the file', async () => {
    const runner = make();
    const bad: Job = {
      kind: 'episode',
      spec: {
        kind: 'model',
        checkpoint: '/nonexistent/ckpt',
        mode: 'fast',
        control: 'mean',
        caution: 1,
        seed: 0,
      },
      episode: { family: 'cut-in', seed: 3 },
    };
    await expect(runner.run([bad])).rejects.toThrow(
      /\/nonexistent\/ckpt\/config\.json: no model checkpoint here[^\n]*$/,
    );
    await runner.close();
  });
});

describe('the code version in job keys', () => {
  it('changes with any source file, not with a test file', () => {
    expect(sourceFiles()).toContain('src/sim/world.ts');
    expect(sourceFiles().some((f) => f.endsWith('.test.ts'))).toBe(false);
    const root = tempDir();
    mkdirSync(join(root, 'src/sim'), { recursive: true });
    const write = (file: string, text: string) => writeFileSync(join(root, file), text);
    write('package.json', '{}');
    write('src/sim/world.ts', 'export const G = 9.81;');
    const before = hashSources(root);
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    write('src/sim/world.test.ts', 'test');
    expect(hashSources(root)).toBe(before);
    write('src/sim/world.ts', 'export const G = 9.8;');
    expect(hashSources(root)).not.toBe(before);
  });
});
