import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { languageModelLoss } from '../model/transformer.js';
import { repeatBatch, TINY, TINY_BATCH, TINY_OPTIM, TINY_SEQ, tinyTrainer } from './fixtures/toy-task.js';
import { Trainer } from './trainer.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function losses(trainer: Trainer, steps: number, seed = 3): Promise<number[]> {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await trainer.trainStep(repeatBatch(rng))).loss);
  return out;
}

describe('Trainer', () => {
  it('is deterministic: same seed, same initial params and same losses; another seed differs', async () => {
    const [a, b, c] = await Promise.all([tinyTrainer(5), tinyTrainer(5), tinyTrainer(6)]);
    expect(a.params().get('embed')).toEqual(b.params().get('embed'));
    expect(a.params().get('embed')).not.toEqual(c.params().get('embed'));
    expect(await losses(a, 5)).toEqual(await losses(b, 5));
    await Promise.all([a.dispose(), b.dispose(), c.dispose()]);
  });

  it('learns the repeated-block toy task: loss falls from ln(vocab) ~ 2.8 to under 0.3', async () => {
    const trainer = await tinyTrainer(1);
    const held = repeatBatch(new Rng(99));
    const before = await trainer.evalLoss(held);
    const curve = await losses(trainer, 300);
    expect(await trainer.evalLoss(held)).toBeLessThan(0.1 * before); // held-out batch, forward graph only
    await trainer.dispose();
    expect(mean(curve.slice(0, 5))).toBeGreaterThan(0.9 * Math.log(TINY.vocab));
    expect(mean(curve.slice(-20))).toBeLessThan(0.3);
  });

  it('takes the same steps on the reference engine as on onnxruntime (one interface, two engines)', async () => {
    const make = (engine: 'reference' | 'onnxruntime') =>
      Trainer.create({
        build: (g) => languageModelLoss(g, TINY, TINY_BATCH, TINY_SEQ),
        optim: TINY_OPTIM,
        seed: 2,
        engine,
        threads: 1,
      });
    const [ref, ort] = await Promise.all([make('reference'), make('onnxruntime')]);
    const [lr, lo] = [await losses(ref, 3), await losses(ort, 3)];
    lo.forEach((l, i) => {
      expect(l).toBeCloseTo(lr[i]!, 4);
    });
    for (const [name, value] of ref.params()) {
      const other = ort.params().get(name)!;
      value.forEach((v, i) => {
        expect(Math.abs(v - other[i]!)).toBeLessThan(1e-4);
      });
    }
    await Promise.all([ref.dispose(), ort.dispose()]);
  });
});
