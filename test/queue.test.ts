// The queue end to end: redis-server on a free loopback port, two `drivefm worker` processes. Model episodes that
// run longer than the lock are each run once (the worker's thread keeps renewing it); then one worker is SIGKILLed
// in the middle of a job and the evaluation completes with every episode once and the same bytes as a local run.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killNow, type LocalRedis, startLocalRedis, startWorkerProcess } from '../src/jobs/processes.js';
import { JobStore } from '../src/jobs/store.js';
import { saveUntrainedCheckpoint } from '../src/model/fixtures.js';

const EPISODES = ['--suite', 'standard', '--limit', '12'];
const LOCK_S = 1; // [s] a model episode here (~2.4 s, on one core) outlasts the lock
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'drivefm-queue-'));
let redis: LocalRedis | undefined;
afterAll(() => {
  children.forEach(killNow);
  redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `drivefm worker` on `queue` with its outputs in `store`. */
async function startWorker(queue: string, store: string) {
  const worker = await startWorkerProcess(queue, ['--store', store, '--lock-seconds', String(LOCK_S)]);
  children.push(worker.child);
  return worker;
}

/** Runs `drivefm eval ... --queue queue --json`; `exit` resolves with its exit code, stdout and stderr. */
function enqueue(args: string[], queue: string) {
  const child = spawn(process.execPath, ['bin/drivefm.js', 'eval', ...args, '--queue', queue, '--json']);
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return {
    stderr: () => stderr,
    exit: new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, stdout })),
    ),
  };
}

/** How many times each job key was started, over the workers' logs. */
function starts(...logs: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of logs.flat()) {
    const key = / start ([0-9a-f]{32})$/.exec(line)?.[1];
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('the job queue', () => {
  it('runs long jobs once, and completes an evaluation after a worker is killed mid-job, nothing lost or duplicated', async () => {
    redis = await startLocalRedis();
    const queue = redis.url;
    const store = join(dir, 'store');
    const checkpoint = join(dir, 'model');
    saveUntrainedCheckpoint(checkpoint, { seed: 5 });
    const suite = join(dir, 'two.json');
    const episodes = [0, 1].map((seed) => ({ family: 'nominal-urban', seed }));
    writeFileSync(suite, JSON.stringify({ name: 'two', version: 1, description: 'two', episodes }));

    // Enqueued before any worker is up: the enqueuer says so in one line, then waits for the workers.
    const enqueued = enqueue(['--suite', suite, '--model', checkpoint], queue);
    while (!enqueued.stderr().includes('no drivefm worker')) await new Promise((r) => setTimeout(r, 50));
    expect(enqueued.stderr()).toMatch(
      /^drivefm: no drivefm worker is on queue drivefm-jobs-[0-9a-f]{16} yet: /,
    );
    const a = await startWorker(queue, store);
    const b = await startWorker(queue, store);

    // Model episodes of several seconds, on workers whose lock is 1 s: each is started exactly once.
    const models = await enqueued.exit;
    if (enqueued.stderr().split('\n').length > 2) throw new Error(enqueued.stderr());
    expect(models.code).toBe(0);
    expect([...starts(a.lines, b.lines).values()]).toEqual([1, 1]);
    expect(JSON.parse(models.stdout).closedLoop).toMatchObject({
      episodes: 2,
      driver: 'vla-tiny-student-fast',
    });

    // Kill worker A as soon as it starts an expert job (after its first one, so the kill lands between start and done).
    const before = a.lines.length;
    const evaluation = enqueue(EPISODES, queue).exit;
    const killed = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const fresh = a.lines.slice(before).filter((l) => / start /.test(l));
        const last = fresh.at(-1)?.split(' ').at(-1);
        if (fresh.length >= 2 && last && !a.lines.some((l) => l.endsWith(`done ${last}`))) {
          a.child.kill('SIGKILL');
          clearInterval(poll);
          resolve(last);
        }
      }, 5);
    });
    const { code, stdout } = await evaluation;
    expect(code).toBe(0);
    expect(a.lines.some((l) => l.endsWith(`done ${killed}`))).toBe(false);
    expect(b.lines.some((l) => l.endsWith(`done ${killed}`))).toBe(true); // re-delivered after its lock expired
    // Every job started once, but the killed one: twice (A, then B).
    const counts = starts(a.lines, b.lines);
    expect(counts.get(killed)).toBe(2);
    expect([...counts].filter(([key, n]) => key !== killed && n !== 1)).toEqual([]);
    expect(counts.size).toBe(2 + 12);
    const local = spawnSync(process.execPath, ['bin/drivefm.js', 'eval', ...EPISODES, '--json'], {
      encoding: 'utf8',
    });
    expect(stdout).toBe(local.stdout);
    expect(new JobStore(store).keys('episode')).toHaveLength(2 + 12);
  }, 90_000);
});
