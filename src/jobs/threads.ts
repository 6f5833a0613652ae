// Jobs on local worker threads: the JobRunner used with no server (and inside `drivefm worker`, so that a long
// synchronous job never blocks the queue's lock renewal). Not the job kinds (job.ts) nor the queue (queue.ts).

import { Worker } from 'node:worker_threads';
import { DrivefmError } from '../core/errors.js';
import { oneLine } from '../eval/workers.js';
import type { Job, JobOutput } from './job.js';
import { type JobRunner, runKeyed } from './runner.js';
import type { JobStore } from './store.js';

/** What the pool sends a thread: one job, named by the pool's request id. */
export interface ThreadRequest {
  readonly id: number;
  readonly job: Job;
}

export type ThreadReply =
  | { readonly kind: 'output'; readonly id: number; readonly output: JobOutput }
  | { readonly kind: 'error'; readonly id: number; readonly code: string; readonly message: string };

/** A job failed on a thread, or a thread died; the message is one line. */
export class JobThreadError extends DrivefmError {
  constructor(code: string, message: string) {
    super(code, `job thread: ${message}`);
  }
}

// Plain JavaScript, as eval/workers.ts does: registers tsx's loader (located from this module) and imports the entry.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;
const ENTRY = new URL('./job-thread.ts', import.meta.url).href;

interface Pending {
  readonly request: ThreadRequest;
  readonly resolve: (output: JobOutput) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Runs jobs on `threads` worker threads, started on first use and kept (with the drivers they loaded) until
 * close(). Several run() calls may be in flight at once; each thread takes the next job when it is free.
 */
export class ThreadRunner implements JobRunner {
  private readonly pool: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queued: Pending[] = [];
  private readonly inHand = new Map<Worker, Pending>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor(
    readonly threads: number,
    private readonly store?: JobStore,
  ) {
    if (!Number.isInteger(threads) || threads < 1)
      throw new JobThreadError('E_USAGE', `threads must be a whole number >= 1, got ${threads}`);
  }

  run(jobs: readonly Job[], onDone: () => void = () => {}): Promise<JobOutput[]> {
    return runKeyed(jobs, this.store, onDone, async (missing, onOne) => {
      await Promise.all(missing.map(async ({ job, key }) => onOne(key, await this.submit(job))));
    });
  }

  /** One job's output, from the first thread that is free. */
  private submit(job: Job): Promise<JobOutput> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queued.push({ request: { id: this.nextId++, job }, resolve, reject });
      if (this.pool.length < this.threads) this.start();
      this.dispatch();
    });
  }

  private start(): void {
    const workerData = { tsx: import.meta.resolve('tsx/esm/api'), entry: ENTRY };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
    this.pool.push(worker);
    this.idle.push(worker);
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.inHand.get(worker);
      this.inHand.delete(worker);
      this.idle.push(worker);
      switch (reply.kind) {
        case 'output':
          pending?.resolve(reply.output);
          break;
        case 'error':
          pending?.reject(new JobThreadError(reply.code, reply.message));
          break;
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      const { code, message } = oneLine(error);
      this.fail(new JobThreadError(code, message));
    });
    worker.on('exit', (exitCode) => {
      if (this.pool.includes(worker))
        this.fail(new JobThreadError('E_WORKER', `exited with code ${exitCode}`));
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queued.length > 0) {
      const worker = this.idle.shift()!;
      const pending = this.queued.shift()!;
      this.inHand.set(worker, pending);
      worker.postMessage(pending.request);
    }
  }

  /** A thread died: every job in hand or waiting fails with its error, and so does every later one. */
  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of [...this.inHand.values(), ...this.queued.splice(0)]) pending.reject(error);
    this.inHand.clear();
  }

  async close(): Promise<void> {
    const pool = this.pool.splice(0);
    this.idle.length = 0;
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
