// The queue end to end: redis-server on a free loopback port, two `drivefm worker` processes, one SIGKILLed in the
// middle of a job; the evaluation completes with every episode once and the same bytes as a local run.
// Skipped while BullMQ's Redis client (npm ioredis) is not installed: BullMQ cannot talk to Redis without it.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobStore } from '../src/jobs/store.js';

const EPISODES = ['--suite', 'standard', '--limit', '12'];
const hasClient = (() => {
  try {
    createRequire(import.meta.url).resolve('ioredis');
    return true;
  } catch {
    return false;
  }
})();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `drivefm worker`; resolves once it says it is ready; `lines` collects its log. */
function startWorker(queue: string, store: string): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, [
    'bin/drivefm.js',
    'worker',
    '--queue',
    queue,
    '--store',
    store,
    '--lock-seconds',
    '2',
  ]);
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (chunk.includes(' ready on ')) resolve({ child, lines });
    });
  });
}

describe.skipIf(!hasClient)('the job queue', () => {
  it('completes an evaluation after a worker is killed mid-job, with no episode lost or duplicated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-queue-'));
    const port = await freePort();
    const redis = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]);
    children.push(redis);
    await new Promise((r) => setTimeout(r, 500));
    const queue = `redis://127.0.0.1:${port}`;
    const store = join(dir, 'store');
    const a = await startWorker(queue, store);
    const b = await startWorker(queue, store);
    const enqueuer = spawn(process.execPath, [
      'bin/drivefm.js',
      'eval',
      ...EPISODES,
      '--queue',
      queue,
      '--json',
    ]);
    children.push(enqueuer);
    let stdout = '';
    enqueuer.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    // Kill worker A as soon as it starts a job (after its first one, so the kill lands between start and done).
    const killed = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const starts = a.lines.filter((l) => / start /.test(l));
        const last = starts.at(-1)?.split(' ').at(-1);
        if (starts.length >= 2 && last && !a.lines.some((l) => l.endsWith(`done ${last}`))) {
          a.child.kill('SIGKILL');
          clearInterval(poll);
          resolve(last);
        }
      }, 5);
    });
    const code = await new Promise<number | null>((r) => enqueuer.on('exit', r));
    expect(code).toBe(0);
    expect(a.lines.some((l) => l.endsWith(`done ${killed}`))).toBe(false);
    expect(b.lines.some((l) => l.endsWith(`done ${killed}`))).toBe(true); // re-delivered after its lock expired
    const local = spawnSync(process.execPath, ['bin/drivefm.js', 'eval', ...EPISODES, '--json'], {
      encoding: 'utf8',
    });
    expect(stdout).toBe(local.stdout);
    expect(new JobStore(store).keys('episode')).toHaveLength(12);
  }, 60_000);
});
