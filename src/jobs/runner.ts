// The job-runner interface and its in-process implementation: run jobs, get outputs back in job order, each
// output once per distinct key (kept in a JobStore when given). Not the queue (queue.ts): that is the other runner.

import type { Job, JobOutput } from './job.js';
import { JobContext, jobKey } from './job.js';
import type { JobStore } from './store.js';

export interface JobRunner {
  /** Runs each distinct job at least once; outputs in the order of `jobs`; `onDone` after each job's output. */
  run(jobs: readonly Job[], onDone?: () => void): Promise<JobOutput[]>;
  /** Frees connections, threads and drivers. */
  close(): Promise<void>;
}

/**
 * Outputs for `jobs`: those already in `store` are read, the others computed by `compute` (given the missing jobs
 * with their keys) and written there. Equal jobs share one key and are computed once.
 */
export async function runKeyed(
  jobs: readonly Job[],
  store: JobStore | undefined,
  onDone: () => void,
  compute: (
    missing: readonly { job: Job; key: string }[],
    onOne: (key: string, output: JobOutput) => void,
  ) => Promise<void>,
): Promise<JobOutput[]> {
  const keys = jobs.map(jobKey);
  const outputs = new Map<string, JobOutput>();
  const missing = new Map<string, Job>();
  keys.forEach((key, i) => {
    const stored = store?.read(jobs[i]!, key);
    if (stored) outputs.set(key, stored);
    else missing.set(key, jobs[i]!);
  });
  const tick = (key: string) => {
    for (const k of keys) if (k === key) onDone();
  };
  for (const key of outputs.keys()) tick(key);
  await compute(
    [...missing].map(([key, job]) => ({ job, key })),
    (key, output) => {
      store?.write(missing.get(key)!, output, key);
      outputs.set(key, output);
      tick(key);
    },
  );
  return keys.map((key) => outputs.get(key)!);
}

/** Runs jobs one after another in this thread. */
export class InProcessRunner implements JobRunner {
  private readonly context = new JobContext();
  constructor(private readonly store?: JobStore) {}

  run(jobs: readonly Job[], onDone: () => void = () => {}): Promise<JobOutput[]> {
    return runKeyed(jobs, this.store, onDone, async (missing, onOne) => {
      for (const { job, key } of missing) onOne(key, await this.context.run(job));
    });
  }

  close(): Promise<void> {
    return this.context.dispose();
  }
}
