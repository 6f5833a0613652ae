import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { runTiny, TINY, tinyTrainer } from './fixtures/toy-task.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const STEPS = 30;
const EVERY = 10;
const FIXTURE = fileURLToPath(new URL('./fixtures/train-tiny.ts', import.meta.url));

/** Runs the fixture in a child process and SIGKILLs it right after it reports checkpoint `killAfter`. */
function trainAndKill(dir: string, killAfter: number): Promise<{ signal: string | null; seen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', FIXTURE, dir, String(STEPS), String(EVERY), '40'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(`checkpoint ${killAfter}\n`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, seen }));
  });
}

describe('checkpoints', () => {
  it('resume after SIGKILL between checkpoints gives the same params as an uninterrupted run', async () => {
    const straight = await runTiny({
      dir: mkdtempSync(join(tmpdir(), 'drivefm-ck-a-')),
      steps: STEPS,
      every: EVERY,
    });
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-ck-b-'));
    const killed = await trainAndKill(dir, 20);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.seen).not.toContain('done');
    const stepOnDisk = loadCheckpoint(join(dir, 'ckpt.safetensors')).state.step;
    expect(stepOnDisk).toBe(20); // the kill landed before checkpoint 30 (each step sleeps 40 ms)
    const resumed = await runTiny({ dir, steps: STEPS, every: EVERY });
    expect(resumed.losses).toEqual(straight.losses.slice(20));
    for (const [name, value] of straight.params) expect(resumed.params.get(name)).toEqual(value);
  });

  it('round-trips step, moments and an rng state with signed words', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'drivefm-ck-d-')), 'c.safetensors');
    const one = (v: number) => new Map([['w', Float32Array.of(v, v)]]);
    saveCheckpoint(
      path,
      {
        state: { step: 9, params: one(1), m: one(2), v: one(3) },
        rng: [-5, 1, 2 ** 32 - 1, 0],
      },
      new Map([['w', [2]]]),
    );
    const back = loadCheckpoint(path);
    expect(back.rng).toEqual([-5, 1, 2 ** 32 - 1, 0]);
    expect(back.state.step).toBe(9);
    expect(Array.from(back.state.v.get('w')!)).toEqual([3, 3]);
  });

  it('stores every tensor with its param shape; a file of the old 1-D layout still restores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-ck-e-'));
    const trainer = await tinyTrainer(3);
    const checkpoint = { state: trainer.snapshot(), rng: new Rng(2).state };
    const path = join(dir, 'shaped.safetensors');
    saveCheckpoint(path, checkpoint, trainer.paramShapes());
    const { tensors } = readSafetensors(path);
    expect(tensors.get('param.embed')!.shape).toEqual([TINY.vocab, TINY.dModel]); // was [512]
    expect(tensors.get('adam_m.layer0.wqkv')!.shape).toEqual([TINY.dModel, 64]);
    expect(tensors.get('param.final_norm')!.shape).toEqual([TINY.dModel]);
    const flat = new Map([...tensors].map(([name, t]) => [name, { ...t, shape: [t.data.length] }] as const));
    const old = join(dir, 'flat.safetensors');
    writeSafetensors(old, flat, readSafetensors(path).metadata);
    const other = await tinyTrainer(9);
    restoreCheckpoint(other, old);
    expect(other.params().get('embed')).toEqual(trainer.params().get('embed'));
    await Promise.all([trainer.dispose(), other.dispose()]);
  });

  it('refuses a corrupted checkpoint with an InputError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-ck-c-'));
    await runTiny({ dir, steps: 2, every: 2 });
    const path = join(dir, 'ckpt.safetensors');
    expect(existsSync(path)).toBe(true);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    const trainer = await tinyTrainer(1);
    expect(() => restoreCheckpoint(trainer, path)).toThrow(InputError);
    expect(() => restoreCheckpoint(trainer, path)).toThrow(`${path}:`);
    await trainer.dispose();
  });
});
