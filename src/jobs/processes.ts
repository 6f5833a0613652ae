// Local processes for the queue's test and benchmark: Debian's redis-server on a free loopback port, and
// `drivefm worker` children with their log lines. Not used by the CLI; a real deployment runs its own Redis.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DrivefmError } from '../core/errors.js';
import { parseRedisUrl, probeRedis } from './redis-url.js';

const REDIS = 'redis-server'; // Debian's package; .ci/run installs it
const CLI = fileURLToPath(new URL('../../bin/drivefm.js', import.meta.url));
const READY_TRIES = 50; // of 100 ms each: a loopback redis-server answers within a few hundred ms

export class RedisServerMissingError extends DrivefmError {
  constructor() {
    super('E_QUEUE', `needs Debian's ${REDIS} on PATH (apt-get install redis-server; .ci/run does)`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalRedis {
  readonly url: string; // redis://127.0.0.1:PORT
  /** Kills the server and removes its folder. */
  stop(): void;
}

/** A throw-away redis-server (no persistence) on a free loopback port, answering PING when this resolves. */
export async function startLocalRedis(): Promise<LocalRedis> {
  if (spawnSync(REDIS, ['--version']).error) throw new RedisServerMissingError();
  const dir = mkdtempSync(join(tmpdir(), 'drivefm-redis-'));
  const port = await freePort();
  const args = [
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
  ];
  const child = spawn(REDIS, args, { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const address = parseRedisUrl(`redis://127.0.0.1:${port}`);
  for (let tries = 1; ; tries++) {
    try {
      await probeRedis(address, 500);
      return { url: address.url, stop };
    } catch (error) {
      if (tries >= READY_TRIES) {
        stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Its log so far (stderr lines). */
  readonly lines: string[];
}

/** Starts `drivefm worker --queue url ...flags`; resolves once it says it is ready, rejects if it exits first. */
export function startWorkerProcess(url: string, flags: readonly string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`drivefm worker exited (${code}): ${lines.join(' | ')}`)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (chunk.includes(' ready on ')) resolve({ child, lines });
    });
  });
}

/** Kills a child at once unless it has exited. */
export function killNow(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
