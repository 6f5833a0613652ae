// Jobs over BullMQ on Redis: QueueRunner enqueues (the job's content key is its BullMQ id, so an equal job is
// enqueued once) and waits; startQueueWorker runs jobs on any machine that reaches Redis. Not the job kinds (job.ts).
// Delivery is at least once (a killed worker's job goes back to the queue when its lock expires): outputs are
// keyed by content in a JobStore, so a job run twice writes one file of the same bytes. One queue per code version:
// a worker running other code never takes a job.

import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { DrivefmError } from '../core/errors.js';
import { codeVersion } from './code-version.js';
import { type Job, type JobOutput, jobKey } from './job.js';
import type { RedisAddress } from './redis-url.js';
import { type JobRunner, runKeyed } from './runner.js';
import type { JobStore } from './store.js';
import { ThreadRunner } from './threads.js';

/** The queue of this code version's jobs: enqueuers and workers meet there only when they run the same code. */
export function queueName(): string {
  return `drivefm-jobs-${codeVersion()}`;
}
const KEEP_FINISHED_S = 24 * 3600; // [s] finished jobs stay in Redis a day: an enqueuer that restarts finds them
export const DEFAULT_LOCK_S = 30; // [s] BullMQ's default: a silent worker's job returns to the queue after this

/** A job failed on a worker (its own error, not a crash: crashes are retried). */
export class QueueJobError extends DrivefmError {
  constructor(key: string, reason: string) {
    super('E_QUEUE_JOB', `queued job ${key}: ${reason.split('\n', 1)[0]}`);
  }
}

/** BullMQ talks to Redis through the npm package ioredis, an optional peer dependency it does not install. */
export class RedisClientMissingError extends DrivefmError {
  constructor(cause: unknown) {
    super(
      'E_QUEUE',
      "the job queue needs the npm package 'ioredis' (BullMQ's Redis client), which is not installed",
      {
        cause,
      },
    );
  }
}

function connection(address: RedisAddress) {
  return { host: address.host, port: address.port, maxRetriesPerRequest: null };
}

/** Throws RedisClientMissingError unless ioredis resolves (BullMQ only logs and hangs without it). */
function assertRedisClient(): void {
  try {
    createRequire(import.meta.url).resolve('ioredis');
  } catch (error) {
    throw new RedisClientMissingError(error);
  }
}

/** Enqueues jobs and waits for their outputs, which the workers compute. */
export class QueueRunner implements JobRunner {
  private readonly queue: Queue;
  private readonly events: QueueEvents;

  constructor(
    address: RedisAddress,
    private readonly store?: JobStore,
    /** Told once, in one line, when jobs wait and no worker of this code version is connected. */
    private readonly warn: (line: string) => void = () => {},
  ) {
    assertRedisClient();
    this.queue = new Queue(queueName(), { connection: connection(address) });
    this.queue.setMaxListeners(0); // waitUntilFinished adds one 'closing' listener per job waited for
    this.events = new QueueEvents(queueName(), { connection: connection(address) });
  }

  run(jobs: readonly Job[], onDone: () => void = () => {}): Promise<JobOutput[]> {
    return runKeyed(jobs, this.store, onDone, async (missing, onOne) => {
      await this.events.waitUntilReady();
      const added = await this.queue.addBulk(
        missing.map(({ job, key }) => ({
          name: job.kind,
          data: job,
          opts: {
            jobId: key,
            removeOnComplete: { age: KEEP_FINISHED_S },
            removeOnFail: true, // a failed job is enqueued afresh next time
          },
        })),
      );
      if (missing.length > 0 && (await this.queue.getWorkersCount()) === 0)
        this.warn(
          `no drivefm worker is on queue ${queueName()} yet: the jobs wait for one started from this same code`,
        );
      await Promise.all(
        added.map(async (queued, i) => {
          const { key } = missing[i]!;
          try {
            onOne(key, (await queued.waitUntilFinished(this.events)) as JobOutput);
          } catch (error) {
            throw new QueueJobError(key, error instanceof Error ? error.message : String(error));
          }
        }),
      );
    });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
  }
}

/** How a worker process names itself in logs: host:pid. */
export function workerId(): string {
  return `${hostname()}:${process.pid}`;
}

export interface QueueWorkerOptions {
  readonly store: JobStore;
  readonly lockSeconds?: number;
  /** Jobs run at once, each on its own worker thread (1 by default). */
  readonly threads?: number;
  /** Told of each job as it starts and ends (a log line each). */
  readonly onJob?: (event: 'start' | 'done' | 'stored', key: string) => void;
}

export interface QueueWorker {
  readonly id: string; // host:pid
  /** The queue it takes jobs from (queueName()). */
  readonly queue: string;
  /** Jobs this worker finished. */
  done(): number;
  /** Waiting and active jobs on the queue. */
  backlog(): Promise<{ waiting: number; active: number }>;
  /** Finishes the jobs in hand, then stops. */
  close(): Promise<void>;
}

/**
 * Takes jobs from the queue, `threads` at a time, and runs each on a worker thread: this thread stays free to renew
 * the jobs' locks, so a long synchronous job (a model episode) is not taken for stalled and handed to a second
 * worker. An output already in the store (a job delivered again after its first worker finished but died before
 * acknowledging) is returned without re-running.
 */
export async function startQueueWorker(
  address: RedisAddress,
  options: QueueWorkerOptions,
): Promise<QueueWorker> {
  assertRedisClient();
  const threads = options.threads ?? 1;
  const runner = new ThreadRunner(threads);
  const lockMs = (options.lockSeconds ?? DEFAULT_LOCK_S) * 1000; // [ms]
  let done = 0;
  const worker = new Worker(
    queueName(),
    async (queued) => {
      const job = queued.data as Job;
      const key = jobKey(job);
      const stored = options.store.read(job, key);
      if (stored) {
        options.onJob?.('stored', key);
        done++;
        return stored;
      }
      options.onJob?.('start', key);
      const [output] = await runner.run([job]);
      options.store.write(job, output!, key);
      options.onJob?.('done', key);
      done++;
      return output;
    },
    {
      connection: connection(address),
      concurrency: threads,
      lockDuration: lockMs,
      stalledInterval: lockMs / 2,
      maxStalledCount: 3, // a job whose worker died three times fails instead of killing more workers
    },
  );
  await worker.waitUntilReady();
  const queue = new Queue(queueName(), { connection: connection(address) });
  return {
    id: workerId(),
    queue: queueName(),
    done: () => done,
    async backlog() {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
        active: counts.active ?? 0,
      };
    },
    async close() {
      await worker.close();
      await queue.close();
      await runner.close();
    },
  };
}
