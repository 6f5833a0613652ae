// A job: one unit of work as plain data (a union on `kind`), its content key, and how any process runs it.
// Not the transport (queue.ts) nor where outputs are kept (store.ts). A new kind (fleet rollout, labelling) is one case.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Episode } from '../eval/closed-loop.js';
import { scoreWith } from '../eval/closed-loop.js';
import { type DriverSource, type DriverSpec, driverFactory } from '../eval/driver-spec.js';
import { CONFIG_FILE, isFinishedCheckpoint, loadModelCheckpoint, WEIGHTS_FILE } from '../model/checkpoint.js';
import type { EpisodeScore } from '../sim/metrics/index.js';
import { codeVersion } from './code-version.js';

/** A closed-loop evaluation episode: the driver the spec describes drives (family, seed). */
export interface EpisodeJob {
  readonly kind: 'episode';
  readonly spec: DriverSpec;
  readonly episode: Episode;
}

export type Job = EpisodeJob;

export type JobOutput = { readonly kind: 'episode'; readonly driver: string; readonly score: EpisodeScore };

/** Bumped when a job's meaning or its output's layout changes, so old outputs stop matching. */
const JOB_FORMAT = 'drivefm-job-1';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What a driver is by content: a checkpoint by its config and weights bytes, not by the folder it sits in. */
function driverContent(spec: DriverSpec): unknown {
  switch (spec.kind) {
    case 'expert':
      return spec;
    case 'model': {
      const { checkpoint, ...decoding } = spec;
      const digest = createHash('sha256');
      for (const file of [CONFIG_FILE, WEIGHTS_FILE]) digest.update(checkpointBytes(checkpoint, file));
      return { ...decoding, model: digest.digest('hex') };
    }
  }
}

/** One file of a finished checkpoint; an unfinished or missing one fails as loading it would, in one line. */
function checkpointBytes(dir: string, file: string): Buffer {
  if (!isFinishedCheckpoint(dir)) loadModelCheckpoint(dir); // throws the loader's reason
  const path = join(dir, file);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError({ file: path, message: 'cannot read this checkpoint file', cause: error });
  }
}

function contentOf(job: Job): unknown {
  switch (job.kind) {
    case 'episode':
      return { kind: job.kind, driver: driverContent(job.spec), episode: job.episode };
  }
}

/**
 * The job's content key (32 hex digits): equal jobs, wherever their files are, have equal keys under the same code
 * (codeVersion: a changed simulator or metric never reuses an old output).
 */
export function jobKey(job: Job): string {
  return createHash('sha256')
    .update(`${JOB_FORMAT}\n${codeVersion()}\n${canonicalJson(contentOf(job))}`)
    .digest('hex')
    .slice(0, 32);
}

/** Runs jobs in this thread, loading each driver once and keeping it for the jobs that follow. */
export class JobContext {
  private readonly drivers = new Map<string, Promise<DriverSource>>();

  async run(job: Job): Promise<JobOutput> {
    switch (job.kind) {
      case 'episode': {
        const driver = (await this.driversOf(job.spec)).make();
        return { kind: 'episode', driver: driver.name, score: scoreWith(driver, job.episode) };
      }
    }
  }

  private driversOf(spec: DriverSpec): Promise<DriverSource> {
    const id = canonicalJson(spec);
    let source = this.drivers.get(id);
    if (!source) {
      source = driverFactory(spec);
      this.drivers.set(id, source);
    }
    return source;
  }

  async dispose(): Promise<void> {
    for (const source of this.drivers.values()) await (await source).dispose();
    this.drivers.clear();
  }
}
