// Jobs over BullMQ on Redis: QueueRunner enqueues (the job's content key is its BullMQ id, so an equal job is
// enqueued once) and waits; startQueueWorker runs jobs on any machine that reaches Redis. Not the job kinds (job.ts).
// Delivery is at least once (a killed worker's job goes back to the queue when its lock expires): outputs are
// keyed by content in a JobStore, so a job run twice writes one file of the same bytes.

import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { DrivefmError } from '../core/errors.js';
import { type Job, JobContext, type JobOutput, jobKey } from './job.js';
import type { RedisAddress } from './redis-url.js';
import { type JobRunner, runKeyed } from './runner.js';
import type { JobStore } from './store.js';

export const QUEUE_NAME = 'drivefm-jobs';
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
  ) {
    assertRedisClient();
    this.queue = new Queue(QUEUE_NAME, { connection: connection(address) });
    this.events = new QueueEvents(QUEUE_NAME, { connection: connection(address) });
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

export interface QueueWorkerOptions {
  readonly store: JobStore;
  readonly lockSeconds?: number;
  /** Told of each job as it starts and ends (a log line each). */
  readonly onJob?: (event: 'start' | 'done' | 'stored', key: string) => void;
}

export interface QueueWorker {
  readonly id: string; // host:pid
  /** Jobs this worker finished. */
  done(): number;
  /** Waiting and active jobs on the queue. */
  backlog(): Promise<{ waiting: number; active: number }>;
  /** Finishes the job in hand, then stops. */
  close(): Promise<void>;
}

/**
 * Takes jobs from the queue one at a time and runs them in this thread. An output already in the store (a job
 * delivered again after its first worker finished but died before acknowledging) is returned without re-running.
 */
export async function startQueueWorker(
  address: RedisAddress,
  options: QueueWorkerOptions,
): Promise<QueueWorker> {
  assertRedisClient();
  const context = new JobContext();
  const lockMs = (options.lockSeconds ?? DEFAULT_LOCK_S) * 1000; // [ms]
  let done = 0;
  const worker = new Worker(
    QUEUE_NAME,
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
      const output = await context.run(job);
      options.store.write(job, output, key);
      options.onJob?.('done', key);
      done++;
      return output;
    },
    {
      connection: connection(address),
      concurrency: 1,
      lockDuration: lockMs,
      stalledInterval: lockMs / 2,
      maxStalledCount: 3, // a job whose worker died three times fails instead of killing more workers
    },
  );
  await worker.waitUntilReady();
  const queue = new Queue(QUEUE_NAME, { connection: connection(address) });
  return {
    id: `${hostname()}:${process.pid}`,
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
      await context.dispose();
    },
  };
}
