import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
