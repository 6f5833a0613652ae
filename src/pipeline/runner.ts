// A resumable list of steps over one run folder: each finished step is recorded in steps.json (written atomically)
// with a key chained from its parameters and everything before it, the sha256 of every file it wrote, and its
// result. A rerun skips a step whose key and files still match, redoes it (saying why) otherwise, and first clears
// whatever an unfinished or invalidated step left, except the resume state a killed step named `resumable` when
// the same step (same key: steps.json's `running` marker) runs again. Recorded results are parsed by each step's
// schema. Wall times go to times.json, never into compared outputs.
// Not what the steps do (run-steps.ts) and not the run folder's lock (core/lock.ts), which it takes.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TEMP_SUFFIX, writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig, parseConfig } from '../core/config.js';
import { InputError, UsageError } from '../core/errors.js';
import { lockRunFolder } from '../core/lock.js';
import { changedFile, type FileHashes, filesUnder, hashFiles, removeFiles } from './files.js';

export const STEPS_FILE = 'steps.json';
export const TIMES_FILE = 'times.json'; // wall times: the one file of a run folder that differs between runs
const FORMAT = 'drivefm-steps-1';

/** Wall-clock figures a step measured (seconds per optimiser step, ...), kept apart from its result. */
export type WallTimes = Record<string, number>;

/** One step: what decides its outputs, where it writes, and how it runs. */
export interface StepSpec<R> {
  readonly name: string; // unique in the list; printed
  readonly params: unknown; // JSON: what decides its outputs besides the steps before it
  readonly outputs: readonly string[]; // run-relative files or folders it writes (files of earlier steps excepted)
  /**
   * Run-relative paths (inside `outputs`) of the step's own resume state: kept when the step is killed and then run
   * again with the same key, so it goes on from there; cleared like the rest otherwise.
   */
  readonly resumable?: readonly string[];
  /** What `run` returns; a recorded result is parsed by it when the step is skipped. */
  readonly result: z.ZodType<R>;
  /** Runs the step and returns its result (plain JSON, no wall times: those go to `wall`). */
  run(wall: WallTimes): Promise<R>;
  /** A line about the result, printed when the step runs. */
  line?(result: R): string;
}

/** A step in a list: its result, once it has run or been skipped (steps run in order, so later steps may read it). */
export interface StepHandle<R> {
  result(): R;
}

interface Entry {
  readonly spec: StepSpec<unknown>;
  result?: unknown;
  done: boolean;
}

/** The steps of a command, in order. */
export class StepList {
  readonly entries: Entry[] = [];

  add<R>(spec: StepSpec<R>): StepHandle<R> {
    if (this.entries.some((e) => e.spec.name === spec.name))
      throw new UsageError(`step '${spec.name}' twice`);
    const entry: Entry = { spec: spec as StepSpec<unknown>, done: false };
    this.entries.push(entry);
    return {
      result: () => {
        if (!entry.done) throw new UsageError(`step '${spec.name}' read before it ran`);
        return entry.result as R;
      },
    };
  }
}

const recordSchema = z.strictObject({
  name: z.string(),
  key: z.string(), // sha256 of the step's parameters chained with every record before it
  outputs: z.record(z.string(), z.string()), // run-relative file -> sha256
  result: z.unknown(), // as the step returned it; parsed by the step's own schema when it is skipped
});
const runningSchema = z.strictObject({ name: z.string(), key: z.string() });
const stepsSchema = z.strictObject({
  format: z.literal(FORMAT),
  settings: z.record(z.string(), z.unknown()), // what the run folder was made with (preset, seed)
  steps: z.array(recordSchema),
  running: runningSchema.optional(), // the step that started after the last record; gone when it has ended
});
type StepRecord = z.infer<typeof recordSchema>;
type Running = z.infer<typeof runningSchema>;

const timesSchema = z.strictObject({ steps: z.record(z.string(), z.record(z.string(), z.number())) });

export interface RunOptions {
  readonly command: string; // holds the lock, e.g. 'drivefm run'
  readonly settings: Record<string, unknown>; // a rerun with other settings is refused
  readonly say: (line: string) => void;
}

/** Runs the list in `run`, skipping finished steps; refuses a folder made with other settings or in use. */
export async function runSteps(run: string, list: StepList, o: RunOptions): Promise<void> {
  const lock = lockRunFolder(run, o.command);
  try {
    removeFiles(
      run,
      filesUnder(run, ['.']).filter((f) => f.endsWith(TEMP_SUFFIX)),
    ); // a killed writer's debris
    const path = join(run, STEPS_FILE);
    const loaded = existsSync(path) ? loadSteps(path, o.settings) : { steps: [], running: undefined };
    const records = loaded.steps;
    let running: Running | undefined = loaded.running;
    const timesPath = join(run, TIMES_FILE);
    const times = existsSync(timesPath) ? loadJsonConfig(timesSchema, timesPath).steps : {};
    const save = () =>
      writeFileAtomic(
        path,
        `${JSON.stringify({ format: FORMAT, settings: o.settings, steps: records, running }, null, 1)}\n`,
      );
    let key = sha256(JSON.stringify(o.settings));
    const total = list.entries.length;
    for (const [k, entry] of list.entries.entries()) {
      const { spec } = entry;
      key = sha256(JSON.stringify([key, spec.name, spec.params]));
      const title = `${k + 1}/${total} ${spec.name}`;
      const recorded = records[k];
      const why = recorded ? staleness(run, recorded, spec.name, key) : undefined;
      if (recorded && why === undefined) {
        o.say(`skip ${title}: done\n`);
        entry.result = parseConfig(spec.result, recorded.result, path, ['steps', k, 'result']);
      } else {
        const killed = running?.name === spec.name && running.key === key; // same step, same inputs
        for (const later of records.splice(k)) removeFiles(run, Object.keys(later.outputs));
        const owned = new Set(records.flatMap((r) => Object.keys(r.outputs)));
        const mine = () => filesUnder(run, spec.outputs).filter((f) => !owned.has(f));
        const kept = new Set(
          killed ? filesUnder(run, spec.resumable ?? []).filter((f) => !owned.has(f)) : [],
        );
        if (kept.size > 0) o.say(`resume ${title}: from the state it kept (${kept.size} files)\n`);
        else o.say(why ? `redo ${title}: ${why}\n` : `step ${title}\n`);
        running = { name: spec.name, key };
        save();
        removeFiles(
          run,
          mine().filter((f) => !kept.has(f)),
        ); // what an unfinished run of this step left
        const wall: WallTimes = {};
        const started = performance.now();
        const returned = JSON.parse(JSON.stringify((await spec.run(wall)) ?? null)) as unknown; // as a rerun reads it
        const result = spec.result.parse(returned); // a step returning other than it declares is a bug
        times[spec.name] = { seconds: Number(((performance.now() - started) / 1000).toFixed(1)), ...wall };
        records.push({ name: spec.name, key, outputs: hashFiles(run, mine()), result });
        running = undefined;
        save();
        writeFileAtomic(timesPath, `${JSON.stringify({ steps: times }, null, 1)}\n`);
        entry.result = result;
        if (spec.line) o.say(spec.line(result));
      }
      entry.done = true;
      key = sha256(JSON.stringify([key, records[k]!.outputs, records[k]!.result]));
    }
  } finally {
    lock.release();
  }
}

/** Why a recorded step must be redone, or undefined when its record still holds. */
function staleness(run: string, r: StepRecord, name: string, key: string): string | undefined {
  if (r.name !== name) return `the step list changed (recorded here: '${r.name}')`;
  if (r.key !== key) return 'its parameters or an earlier step changed';
  const changed = changedFile(run, r.outputs as FileHashes);
  return changed ? `${changed} is missing or changed since it was recorded` : undefined;
}

function loadSteps(
  path: string,
  settings: Record<string, unknown>,
): { steps: StepRecord[]; running: Running | undefined } {
  const file = loadJsonConfig(stepsSchema, path);
  for (const [field, wanted] of Object.entries(settings)) {
    if (JSON.stringify(file.settings[field]) !== JSON.stringify(wanted)) {
      throw new InputError({
        file: path,
        field: `settings.${field}`,
        message: `this run folder was made with ${JSON.stringify(file.settings[field])}, not ${JSON.stringify(wanted)}; use another --out`,
      });
    }
  }
  return { steps: file.steps, running: file.running };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
