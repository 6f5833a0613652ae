import { describe, expect, it } from 'vitest';
import { checkOp } from './check-op.js';
import { type Feeds, f32, i64 } from './engine.js';
import { Graph } from './graph.js';
import { crossEntropy, klDivergence, tokenKl, tokenLogProbs, weightedCrossEntropy } from './losses.js';
import { createReferenceEngine } from './reference.js';
import type { Tensor } from './types.js';

const TARGETS = { shape: [4], dtype: 'int64', values: [3, 0, 1, 4] } as const;
const MASK = { shape: [4], values: [1, 0, 1, 1] } as const;

/** Plain float64 softmax of a row, for the hand-computed expectations. */
function softmax(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Runs `build` on the reference engine with the given feeds; returns the output's values. */
async function value(build: (g: Graph) => Tensor, feeds: Feeds): Promise<number[]> {
  const g = new Graph();
  g.output('y', build(g));
  const out = await createReferenceEngine(g).run(feeds);
  return Array.from(out.y!.data as Float32Array);
}

const LOGITS = [
  [0.5, -1, 2],
  [1, 1, 1],
];
const OTHER = [
  [0, 0.3, -0.7],
  [2, -1, 0.5],
];

describe('losses: gradient vs finite differences, onnxruntime vs reference', () => {
  it('tokenLogProbs', () => checkOp((g, [x, t]) => tokenLogProbs(g, x!, t!), [{ shape: [4, 5] }, TARGETS]));
  it('crossEntropy with ignore index', () =>
    checkOp((g, [x, t]) => crossEntropy(g, x!, t!, 0), [{ shape: [4, 5] }, TARGETS]));
  it('weightedCrossEntropy with signed weights and an ignore index', () =>
    checkOp(
      (g, [x, t, w]) => weightedCrossEntropy(g, x!, t!, w!, 0),
      [{ shape: [4, 5] }, TARGETS, { shape: [4], values: [0.5, 2, -1.5, -0.25] }],
    ));
  it('tokenKl at temperature 2, gradients to both sides', () =>
    checkOp((g, [p, q]) => tokenKl(g, p!, q!, 2), [{ shape: [4, 5] }, { shape: [4, 5] }]));
  it('klDivergence, masked', () =>
    checkOp((g, [p, q, m]) => klDivergence(g, p!, q!, m!), [{ shape: [4, 5] }, { shape: [4, 5] }, MASK]));
});

describe('losses: values', () => {
  it('log-probabilities of the given tokens, 0 for an out-of-range target', async () => {
    const got = await value((g) => tokenLogProbs(g, g.input('x', [2, 3]), g.input('t', [2], 'int64')), {
      x: f32([2, 3], LOGITS.flat()),
      t: i64([2], [2, -100]),
    });
    expect(got[0]).toBeCloseTo(Math.log(softmax(LOGITS[0]!)[2]!), 6);
    expect(got[1]).toBe(0);
  });

  it('weighted cross-entropy: -mean(w log p) over kept tokens; weights 1 give crossEntropy', async () => {
    const feeds = { x: f32([2, 3], LOGITS.flat()), t: i64([2], [2, 0]), w: f32([2], [3, -2]) };
    const build = (weighted: boolean) => (g: Graph) => {
      const [x, t] = [g.input('x', [2, 3]), g.input('t', [2], 'int64')];
      const w = g.input('w', [2]);
      return weighted
        ? weightedCrossEntropy(g, x, t, w)
        : g.add(crossEntropy(g, x, t), g.mul(g.sum(w, [0]), 0));
    };
    const lp = [Math.log(softmax(LOGITS[0]!)[2]!), Math.log(softmax(LOGITS[1]!)[0]!)];
    expect((await value(build(true), feeds))[0]).toBeCloseTo(-(3 * lp[0]! - 2 * lp[1]!) / 2, 5);
    const ones = { ...feeds, w: f32([2], [1, 1]) };
    expect((await value(build(true), ones))[0]).toBeCloseTo((await value(build(false), ones))[0]!, 6);
  });

  it('KL(p || q) at temperature T: sum p (log p - log q); zero for equal inputs, the mask drops a row', async () => {
    const T = 2;
    const kl = (a: number[], b: number[]) => {
      const [p, q] = [softmax(a.map((x) => x / T)), softmax(b.map((x) => x / T))];
      return p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0);
    };
    const build = (g: Graph) =>
      klDivergence(g, g.input('p', [2, 3]), g.input('q', [2, 3]), g.input('m', [2]), T);
    const feeds = { p: f32([2, 3], LOGITS.flat()), q: f32([2, 3], OTHER.flat()) };
    const both = await value(build, { ...feeds, m: f32([2], [1, 1]) });
    expect(both[0]).toBeCloseTo((kl(LOGITS[0]!, OTHER[0]!) + kl(LOGITS[1]!, OTHER[1]!)) / 2, 6);
    const first = await value(build, { ...feeds, m: f32([2], [1, 0]) });
    expect(first[0]).toBeCloseTo(kl(LOGITS[0]!, OTHER[0]!), 6);
    const same = await value(build, { p: feeds.p, q: feeds.p, m: f32([2], [1, 1]) });
    expect(Math.abs(same[0]!)).toBeLessThan(1e-7);
    expect((await value(build, { ...feeds, m: f32([2], [0, 0]) }))[0]).toBe(0);
  });
});
