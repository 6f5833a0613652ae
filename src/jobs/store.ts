// Job outputs on disk, keyed by the job's content: `<root>/<kind>/<key>.json`, written atomically and only once,
// so a job delivered twice leaves one file of the same bytes. Not a cache policy: nothing is ever evicted.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { InputError } from '../core/errors.js';
import { canonicalJson, type Job, type JobOutput, jobKey } from './job.js';

export class JobStore {
  constructor(readonly root: string) {}

  pathOf(job: Job, key = jobKey(job)): string {
    return join(this.root, job.kind, `${key}.json`);
  }

  /** The stored output of `job`, or undefined when no process has finished it. */
  read(job: Job, key?: string): JobOutput | undefined {
    const path = this.pathOf(job, key);
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as JobOutput;
    } catch (error) {
      throw new InputError({ file: path, message: 'not a job output (JSON)', cause: error });
    }
  }

  /** Writes `output` unless the job's file exists; true when this call wrote it. */
  write(job: Job, output: JobOutput, key?: string): boolean {
    const path = this.pathOf(job, key);
    if (existsSync(path)) return false;
    writeFileAtomic(path, `${canonicalJson(output)}\n`);
    return true;
  }

  /** The keys of the stored outputs of one kind. */
  keys(kind: Job['kind']): string[] {
    const dir = join(this.root, kind);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  }
}
