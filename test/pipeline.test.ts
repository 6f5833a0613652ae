import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/core/lock.js';
import { EPISODE_TIMES_DIR, listEpisodes, readEpisode } from '../src/eval/episode-record.js';
import { reportSchema } from '../src/eval/stage-report.js';
import { TIMES_FILE } from '../src/pipeline/runner.js';

// --seed 1: the tiny lake of base seed 1 once had no val clip, and the run failed after pretraining
const RUN = ['bin/drivefm.js', 'run', '--preset', 'tiny', '--seed', '1', '--out'];

const folder = () => join(mkdtempSync(join(tmpdir(), 'drivefm-run-')), 'run');

/** Every file of a run folder but the wall times (steps', decisions') and the lock: path -> sha256 and mtime. */
function manifest(run: string): Record<string, { sha256: string; mtime: number }> {
  const entries = readdirSync(run, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== TIMES_FILE && e.name !== LOCK_FILE)
    .filter((e) => !relative(run, e.parentPath).startsWith(EPISODE_TIMES_DIR))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => [
      relative(run, file),
      {
        sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
        mtime: statSync(file).mtimeMs,
      },
    ]);
  return Object.fromEntries(entries);
}
const bytes = (m: ReturnType<typeof manifest>) =>
  Object.fromEntries(Object.entries(m).map(([f, e]) => [f, e.sha256]));

interface Killed {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the pipeline into `out` and SIGKILLs it when a stderr progress line matches `at` (its stdout then names the
 * step it was in). `meanwhile` runs once, when stdout first matches `when`, while the pipeline is alive.
 */
function runUntil(out: string, at: RegExp, meanwhile?: { when: RegExp; run: () => void }): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...RUN, out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = meanwhile;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (pending?.when.test(stdout)) {
        pending.run();
        pending = undefined;
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (at.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ stdout, stderr });
      else reject(new Error(`not killed (exit ${code}) at ${at}:\n${stdout}\n${stderr}`));
    });
  });
}

/** The step a killed run's stdout was in: its last "step k/n NAME", "redo k/n NAME" or "resume k/n NAME" line. */
const lastStep = (stdout: string) =>
  [...stdout.matchAll(/^(?:step|redo|resume) \d+\/\d+ ([^:\n]+)/gm)].at(-1)?.[1];

describe('drivefm run --preset tiny (the whole pipeline end to end)', () => {
  const uninterrupted = folder();
  let first: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    first = spawnSync(process.execPath, [...RUN, uninterrupted, '--quiet'], { encoding: 'utf8' });
  }, 1_800_000);

  it('simulates, generates the lake, trains every stage of both models, evaluates and reports', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const report = reportSchema.parse(JSON.parse(readFileSync(join(uninterrupted, 'report.json'), 'utf8')));
    expect(report.stages.map((s) => `${s.model}:${s.stage}`)).toEqual(
      ['teacher', 'student'].flatMap((m) =>
        ['pretrain', 'align', 'cot-sft', 'cot-short', 'instruct'].map((s) => `${m}:${s}`),
      ),
    );
    for (const s of report.stages) expect(s.lossAfter).toBeLessThan(s.lossBefore); // every stage lowers its loss
    // instructions followed, measured on more frames (8) than the other open-loop figures (4)
    for (const s of report.stages) expect(s.adherence.n).toBeGreaterThan(4);
    const summary = JSON.parse(readFileSync(join(uninterrupted, 'summary.json'), 'utf8'));
    // after cot-short each model drove one training scenario per family, labelled by the expert's takeovers
    const rounds = summary.onPolicy as { model: string; after: string; written: number; frames: number }[];
    expect(rounds.map((d) => `${d.model}:${d.after}:${d.written}`)).toEqual([
      'teacher:cot-short:9',
      'student:cot-short:9',
    ]);
    for (const d of rounds) expect(d.frames).toBeGreaterThan(9);
    expect(report.closedLoop.length).toBeGreaterThan(0);
    for (const c of report.closedLoop) expect(c.episodes).toBe(3);
    // every closed-loop evaluation recorded its 3 episodes, each decision in its eval's mode; the tiny teacher's
    // reasoning is mostly empty, so the text itself is checked where it is planted (episode-record, dashboard tests)
    const recorded = listEpisodes(uninterrupted);
    expect(recorded.map((e) => [e.eval, e.ids.length])).toEqual(
      report.closedLoop.map((c) => [`${c.model}-${c.stage}-${c.mode}`, 3]).sort(),
    );
    const think = recorded.find((e) => e.eval.endsWith('-think'))!;
    const { record, latencyMs } = readEpisode(uninterrupted, think.eval, think.ids[0]!);
    expect(record.decisions.length).toBe(latencyMs?.length);
    expect(record.decisions.every((d) => d.mode === 'think')).toBe(true);
    const fast = recorded.find((e) => e.eval.endsWith('-fast'))!;
    const fastDecisions = readEpisode(uninterrupted, fast.eval, fast.ids[0]!).record.decisions;
    expect(fastDecisions.every((d) => d.mode === 'fast' && d.cot === '')).toBe(true);
    expect(record.decisions[0]!.tokens).toHaveLength(16);
    const table = spawnSync(process.execPath, ['bin/drivefm.js', 'report', uninterrupted], {
      encoding: 'utf8',
    });
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/teacher\s+instruct/);
  });

  it('run again into the finished folder skips every step and writes nothing', () => {
    const before = manifest(uninterrupted);
    const again = spawnSync(process.execPath, [...RUN, uninterrupted, '--quiet'], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^skip 1\/30 simulate: done$/m);
    expect(again.stdout).toMatch(/^skip 30\/30 report: done$/m);
    expect(again.stdout).not.toMatch(/^(step|redo|resume) /m);
    expect(manifest(uninterrupted)).toEqual(before); // bytes and mtimes
  });

  it('killed in data generation, in a training stage and in the on-policy round, resumes to the same bytes', async () => {
    const out = folder();
    const inData = await runUntil(out, /^data generate: \d+\/18/m);
    expect(lastStep(inData.stdout)).toBe('data');

    let busy: ReturnType<typeof spawnSync> | undefined;
    // killed at step 12 of 20: the tiny recipe saves train's resume state every 5 steps
    const inTraining = await runUntil(out, /^train cot-sft: 12\/20/m, {
      when: /^step 3\/30 /m, // a second writer into the busy folder, while this run trains
      run: () => {
        busy = spawnSync(
          process.execPath,
          ['bin/drivefm.js', 'data', 'generate', '--preset', 'tiny', '--seed', '1', '--out', out],
          { encoding: 'utf8' },
        );
      },
    });
    expect(inTraining.stderr).toMatch(/taking over the lock of drivefm run \(pid \d+\), which is gone/);
    expect(inTraining.stdout).toMatch(/^skip 1\/30 simulate: done$/m);
    expect(inTraining.stdout).toMatch(/^step 2\/30 data$/m); // the killed step runs again, from a clean slate
    expect(lastStep(inTraining.stdout)).toBe('train teacher cot-sft');
    expect(busy?.status).toBe(2);
    expect(busy?.stderr).toMatch(/the run folder is in use by drivefm run \(pid \d+\)/);

    const inOnPolicy = await runUntil(out, /^on-policy [^:]+: \d+\/9/m);
    expect(inOnPolicy.stdout).toMatch(/^skip 5\/30 train teacher align: done$/m);
    // the killed stage goes on from its step-10 state, not from step 0
    expect(inOnPolicy.stdout).toMatch(/^resume 7\/30 train teacher cot-sft: from the state it kept/m);
    expect(inOnPolicy.stderr).toMatch(/^train cot-sft: done 10\/10 /m);
    expect(lastStep(inOnPolicy.stdout)).toBe('on-policy teacher after cot-short');

    const rest = spawnSync(process.execPath, [...RUN, out, '--quiet'], { encoding: 'utf8' });
    expect(rest.status).toBe(0);
    expect(bytes(manifest(out))).toEqual(bytes(manifest(uninterrupted)));
  }, 1_800_000);
});
