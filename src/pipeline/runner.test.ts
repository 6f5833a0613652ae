import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { InputError } from '../core/errors.js';
import { runSteps, STEPS_FILE, StepList, TIMES_FILE } from './runner.js';

/** Three steps: a writes a.txt, b writes into the shared folder d/, c writes d/c.txt from a's result. */
function steps(run: string, ran: string[], options: { failIn?: string; aParam?: number } = {}): StepList {
  const list = new StepList();
  const a = list.add({
    name: 'a',
    params: { n: options.aParam ?? 1 },
    outputs: ['a.txt'],
    result: z.strictObject({ value: z.number() }),
    run: async (wall) => {
      ran.push('a');
      wall.secondsPerStep = Math.random(); // a wall time: must not reach steps.json
      writeFileAtomic(join(run, 'a.txt'), `a${options.aParam ?? 1}`);
      return { value: 41 };
    },
  });
  for (const name of ['b', 'c']) {
    list.add({
      name,
      params: {},
      outputs: ['d'],
      result: z.string(),
      run: async () => {
        ran.push(name);
        writeFileAtomic(join(run, 'd', `${name}.half`), 'partial');
        if (options.failIn === name) throw new Error('killed');
        writeFileAtomic(join(run, 'd', `${name}.txt`), String(a.result().value + 1));
        return name;
      },
    });
  }
  return list;
}

const options = { command: 'test', settings: { seed: 1 }, say: () => {} };
const folder = () => mkdtempSync(join(tmpdir(), 'drivefm-steps-'));

describe('runSteps', () => {
  it('skips finished steps, and a second run writes nothing', async () => {
    const run = folder();
    const ran: string[] = [];
    await runSteps(run, steps(run, ran), options);
    expect(ran).toEqual(['a', 'b', 'c']);
    const recorded = readFileSync(join(run, STEPS_FILE), 'utf8');
    expect(recorded).not.toMatch(/secondsPerStep/);
    expect(JSON.parse(readFileSync(join(run, TIMES_FILE), 'utf8')).steps.a.secondsPerStep).toBeLessThan(1);
    const said: string[] = [];
    await runSteps(run, steps(run, ran), { ...options, say: (l) => void said.push(l) });
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(said).toEqual(['skip 1/3 a: done\n', 'skip 2/3 b: done\n', 'skip 3/3 c: done\n']);
    expect(readFileSync(join(run, STEPS_FILE), 'utf8')).toBe(recorded);
  });

  it('clears what an unfinished step left and reruns only from there', async () => {
    const run = folder();
    const ran: string[] = [];
    await expect(runSteps(run, steps(run, ran, { failIn: 'c' }), options)).rejects.toThrow('killed');
    expect(existsSync(join(run, 'd', 'c.half'))).toBe(true);
    writeFileSync(join(run, 'd', 'debris'), 'left by the killed step');
    await runSteps(run, steps(run, ran), options);
    expect(ran).toEqual(['a', 'b', 'c', 'c']);
    expect(existsSync(join(run, 'd', 'b.half'))).toBe(true); // b's own file, recorded as b's
    expect(readFileSync(join(run, 'd', 'c.txt'), 'utf8')).toBe('42');
    expect(existsSync(join(run, 'd', 'debris'))).toBe(false);
  });

  it('redoes a step whose recorded file changed, and everything after it; names the file', async () => {
    const run = folder();
    const ran: string[] = [];
    await runSteps(run, steps(run, ran), options);
    writeFileSync(join(run, 'd', 'b.txt'), 'tampered');
    const said: string[] = [];
    await runSteps(run, steps(run, ran), { ...options, say: (l) => void said.push(l) });
    expect(ran).toEqual(['a', 'b', 'c', 'b', 'c']);
    expect(said[1]).toBe('redo 2/3 b: d/b.txt is missing or changed since it was recorded\n');
    expect(readFileSync(join(run, 'd', 'b.txt'), 'utf8')).toBe('42');
  });

  it('redoes a step whose parameters changed, and refuses other settings', async () => {
    const run = folder();
    const ran: string[] = [];
    await runSteps(run, steps(run, ran), options);
    await runSteps(run, steps(run, ran, { aParam: 2 }), options);
    expect(ran).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    const other = runSteps(run, steps(run, ran), { ...options, settings: { seed: 2 } });
    await expect(other).rejects.toThrow(InputError);
    await expect(runSteps(run, steps(run, ran), { ...options, settings: { seed: 2 } })).rejects.toThrow(
      /steps.json: settings.seed: this run folder was made with 1, not 2/,
    );
  });
});

/**
 * One step that counts to 4 in r/count.txt, keeping its count in r/state/ (resumable) after every increment; it
 * dies after `dieAt` when given. r/final.txt records where it started, so a resumed run is seen.
 */
function counter(run: string, o: { dieAt?: number; param?: number } = {}): StepList {
  const list = new StepList();
  list.add({
    name: 'count',
    params: { to: 4, param: o.param ?? 0 },
    outputs: ['r'],
    resumable: ['r/state'],
    result: z.strictObject({ startedAt: z.int() }),
    run: async () => {
      const state = join(run, 'r', 'state', 'n');
      const startedAt = existsSync(state) ? Number(readFileSync(state, 'utf8')) : 0;
      for (let n = startedAt + 1; n <= 4; n++) {
        writeFileAtomic(state, String(n));
        if (n === o.dieAt) throw new Error('killed');
      }
      writeFileAtomic(join(run, 'r', 'count.txt'), '4');
      return { startedAt };
    },
  });
  return list;
}

const stepsFile = (run: string) => JSON.parse(readFileSync(join(run, STEPS_FILE), 'utf8'));

describe('runSteps: resumable state and recorded results', () => {
  it('a killed step run again with the same key keeps its resumable state and goes on from it', async () => {
    const run = folder();
    await expect(runSteps(run, counter(run, { dieAt: 2 }), options)).rejects.toThrow('killed');
    const marker = stepsFile(run).running;
    expect(marker.name).toBe('count');
    expect(marker.key).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(run, 'r', 'debris'), 'left by the killed step'); // outside r/state: cleared
    const said: string[] = [];
    await runSteps(run, counter(run), { ...options, say: (l) => void said.push(l) });
    expect(said[0]).toBe('resume 1/1 count: from the state it kept (1 files)\n');
    const file = stepsFile(run);
    expect(file.running).toBeUndefined(); // gone once the step has ended
    expect(file.steps[0].result).toEqual({ startedAt: 2 });
    expect(existsSync(join(run, 'r', 'debris'))).toBe(false);
    expect(readFileSync(join(run, 'r', 'count.txt'), 'utf8')).toBe('4');
  });

  it('the state of a killed step is cleared when its key changed', async () => {
    const run = folder();
    await expect(runSteps(run, counter(run, { dieAt: 2 }), options)).rejects.toThrow('killed');
    const said: string[] = [];
    await runSteps(run, counter(run, { param: 1 }), { ...options, say: (l) => void said.push(l) });
    expect(said[0]).toBe('step 1/1 count\n');
    expect(stepsFile(run).steps[0].result).toEqual({ startedAt: 0 });
  });

  it('a damaged recorded result is an InputError naming steps.json and the field', async () => {
    const run = folder();
    await runSteps(run, steps(run, []), options);
    const file = stepsFile(run);
    file.steps[0].result.value = 'forty-one';
    writeFileSync(join(run, STEPS_FILE), JSON.stringify(file));
    const again = runSteps(run, steps(run, []), options);
    await expect(again).rejects.toThrow(InputError);
    await expect(runSteps(run, steps(run, []), options)).rejects.toThrow(
      /steps\.json: steps\.0\.result\.value: .*expected number/i,
    );
  });
});
