// The worker-thread pool of closed-loop evaluation: one thread per worker, each building its driver from a
// DriverSpec and scoring the episodes it is handed, one at a time. Not the scoring (closed-loop.ts).

import { Worker } from 'node:worker_threads';
import { DrivefmError } from '../core/errors.js';
import type { DecisionStats } from '../runtime/stats.js';
import type { EpisodeScore } from '../sim/metrics/index.js';
import type { Episode, ScoredEpisodes } from './closed-loop.js';
import type { DriverSpec } from './driver-spec.js';

/** What the pool sends a worker: the episode at `index` of the list to score. */
export interface EpisodeRequest extends Episode {
  readonly index: number;
}

/** What a worker sends back for a request; index -1: the worker could not build its driver. */
export type EpisodeReply =
  | {
      readonly kind: 'score';
      readonly index: number;
      readonly driver: string;
      readonly score: EpisodeScore;
      readonly stats?: DecisionStats; // the in-car runtime's, for this episode
    }
  | { readonly kind: 'error'; readonly index: number; readonly code: string; readonly message: string };

/** What every worker starts with. */
export interface WorkerSetup {
  readonly spec: DriverSpec;
}

/** An episode or a worker failed; the message is one line, naming the episode when there is one. */
export class EvalWorkerError extends DrivefmError {
  constructor(
    readonly episode: Episode | null,
    code: string,
    message: string,
  ) {
    super(code, `eval worker${episode ? `, episode ${episode.family}:${episode.seed}` : ''}: ${message}`);
  }
}

/** The first line of an error's message, with its class name when it is not one of ours. */
export function oneLine(error: unknown): { code: string; message: string } {
  if (error instanceof DrivefmError) return { code: error.code, message: firstLine(error.message) };
  if (error instanceof Error)
    return { code: 'E_WORKER', message: `${error.name}: ${firstLine(error.message)}` };
  return { code: 'E_WORKER', message: firstLine(String(error)) };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

// Plain JavaScript, as engine/sync-engine.ts does, so the thread starts without a TypeScript loader: it registers
// tsx's (located from this module, so it works under the CLI, tsx and vitest alike) and then imports the entry.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;
const ENTRY = new URL('./episode-worker.ts', import.meta.url).href;

/**
 * Scores `episodes` with the driver `spec` describes over `workers` threads; `onScore` after each episode.
 * The scores come back in the order of `episodes`, whichever thread drove them.
 */
export async function scoreInWorkers(
  spec: DriverSpec,
  episodes: readonly Episode[],
  workers: number,
  onScore: () => void,
): Promise<ScoredEpisodes> {
  const scores: EpisodeScore[] = new Array(episodes.length);
  const stats: DecisionStats[] = [];
  const setup: WorkerSetup = { spec };
  const workerData = { tsx: import.meta.resolve('tsx/esm/api'), entry: ENTRY, ...setup };
  const pool = Array.from(
    { length: Math.min(workers, episodes.length) },
    () => new Worker(BOOTSTRAP, { eval: true, workerData }),
  );
  let driver = '';
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const hand = (worker: Worker) => {
        if (next >= episodes.length) return;
        const request: EpisodeRequest = { index: next, ...episodes[next]! };
        next++;
        worker.postMessage(request);
      };
      for (const worker of pool) {
        worker.on('message', (reply: EpisodeReply) => {
          switch (reply.kind) {
            case 'score':
              scores[reply.index] = reply.score;
              if (reply.stats) stats[reply.index] = reply.stats;
              driver = reply.driver;
              onScore();
              if (++done === episodes.length) resolve();
              else hand(worker);
              return;
            case 'error':
              reject(new EvalWorkerError(episodes[reply.index] ?? null, reply.code, reply.message));
              return;
          }
        });
        worker.on('error', (error) => {
          const { code, message } = oneLine(error);
          reject(new EvalWorkerError(null, code, message));
        });
        worker.on('exit', (exitCode) => {
          if (done < episodes.length) {
            reject(
              new EvalWorkerError(null, 'E_WORKER', `exited with code ${exitCode} before the suite was done`),
            );
          }
        });
        hand(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return { driver, scores, stats };
}

/** What the pool sends a worker: the item at `index` of the list, its fields spread. */
export type PoolRequest<T> = T & { readonly index: number };

/** What a worker sends back for a request; index -1: the worker could not set itself up. */
export type PoolReply<V> =
  | { readonly kind: 'done'; readonly index: number; readonly value: V }
  | { readonly kind: 'error'; readonly index: number; readonly code: string; readonly message: string };

/**
 * Maps `items` through the worker module `entry` (a URL; it reads `setup` from its workerData and answers each
 * PoolRequest with a PoolReply) over `workers` threads; `onDone` after each item. The values come back in the
 * order of `items`, whichever thread made them; `fail` turns a reply's error (item null: a worker's) into the error thrown.
 */
export async function mapInWorkers<T extends object, V>(
  entry: string,
  setup: object,
  items: readonly T[],
  workers: number,
  onDone: () => void,
  fail: (item: T | null, code: string, message: string) => Error,
): Promise<V[]> {
  const values: V[] = new Array(items.length);
  const workerData = { tsx: import.meta.resolve('tsx/esm/api'), entry, ...setup };
  const pool = Array.from(
    { length: Math.min(workers, items.length) },
    () => new Worker(BOOTSTRAP, { eval: true, workerData }),
  );
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const hand = (worker: Worker) => {
        if (next >= items.length) return;
        const request: PoolRequest<T> = { ...items[next]!, index: next };
        next++;
        worker.postMessage(request);
      };
      for (const worker of pool) {
        worker.on('message', (reply: PoolReply<V>) => {
          switch (reply.kind) {
            case 'done':
              values[reply.index] = reply.value;
              onDone();
              if (++done === items.length) resolve();
              else hand(worker);
              return;
            case 'error':
              reject(fail(items[reply.index] ?? null, reply.code, reply.message));
              return;
          }
        });
        worker.on('error', (error) => {
          const { code, message } = oneLine(error);
          reject(fail(null, code, message));
        });
        worker.on('exit', (exitCode) => {
          if (done < items.length)
            reject(fail(null, 'E_WORKER', `exited with code ${exitCode} before all was done`));
        });
        hand(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return values;
}
