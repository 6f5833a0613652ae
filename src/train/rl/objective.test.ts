import { describe, expect, it } from 'vitest';
import type { Feeds } from '../../engine/engine.js';
import { Graph } from '../../engine/graph.js';
import { DEFAULT_ADAMW } from '../../engine/optim.js';
import { initParams, Trainer } from '../../engine/trainer.js';
import { declareVla, frameFeeds, IGNORE, tokenFeed, vlaLoss } from '../../model/vla.js';
import { groupAdvantages } from './advantages.js';
import { CFG, frame } from './fixtures.js';
import { type GrpoLossWeights, grpoLoss, REF_PREFIX } from './objective.js';

const VOCAB = 40;
const [ROWS, TEXT] = [2, 8];
const SEED = 3;

/** The policy's initial params under the reference prefix: a reference equal to the policy (or nudged). */
function reference(nudge: number): Map<string, Float32Array> {
  const g = new Graph();
  declareVla(g, CFG, VOCAB);
  return new Map(
    [...initParams(g.params, SEED)].map(([name, p]) => [
      `${REF_PREFIX}${name}`,
      p.map((v, i) => v + (i % 3) * nudge),
    ]),
  );
}

const tokens = [
  [1, 5, 7, 9, 11, 13, 2, 0],
  [1, 6, 8, 10, 12, 14, 2, 0],
];
const targets = tokens.map((row) => row.map((_, i) => (i + 1 < 7 && i >= 1 ? row[i + 1]! : IGNORE)));
const float = (rows: number[][]) => ({
  dtype: 'float32' as const,
  shape: [ROWS, TEXT],
  data: Float32Array.from(rows.flat()),
});
const fill = (a: number, b: number) => [new Array(TEXT).fill(a), new Array(TEXT).fill(b)];

function feeds(advantage: number[][], oldLogp: number[][], imitation: number[][]): Feeds {
  return {
    ...frameFeeds(CFG, [frame, frame]),
    tokens: tokenFeed(tokens, TEXT, 0),
    targets: tokenFeed(targets, TEXT, IGNORE),
    advantage: float(advantage),
    old_logp: float(oldLogp),
    imitation: float(imitation),
  };
}

async function loss(w: GrpoLossWeights, f: Feeds, nudge = 0): Promise<number> {
  const build = (g: Graph) => grpoLoss(g, CFG, VOCAB, ROWS, TEXT, w);
  const trainer = await Trainer.create({
    build,
    optim: DEFAULT_ADAMW,
    seed: SEED,
    threads: 1,
    frozen: reference(nudge),
  });
  try {
    return await trainer.evalLoss(f);
  } finally {
    await trainer.dispose();
  }
}

describe('grpoLoss', () => {
  it('is the imitation cross-entropy alone when advantages are 0 and the reference is the policy', async () => {
    const expertOnly = feeds(fill(0, 0), fill(0, 0), fill(1, 0)); // row 0 the expert's, row 1 sampled
    const got = await loss({ clip: 0.2, kl: 1, imitation: 0.5 }, expertOnly);
    const ce = await Trainer.create({
      build: (g) => vlaLoss(g, CFG, VOCAB, ROWS, TEXT),
      optim: DEFAULT_ADAMW,
      seed: SEED,
      threads: 1,
    });
    const { advantage: _a, old_logp: _o, imitation: _i, ...plain } = expertOnly;
    const rowZero = {
      ...plain,
      targets: tokenFeed([targets[0]!, new Array(TEXT).fill(IGNORE)], TEXT, IGNORE),
    };
    const expected = await ce.evalLoss(rowZero);
    await ce.dispose();
    expect(expected).toBeGreaterThan(1); // an untrained model over 40 tokens
    expect(got).toBeCloseTo(0.5 * expected, 5);
  });

  it('clips the ratio: a positive advantage earns at most 1 + eps, a negative one costs at least 1 - eps', async () => {
    const w = { clip: 0.2, kl: 0, imitation: 0 };
    // old log-probs far below (ratio huge) or far above (ratio ~0) the policy's own
    expect(await loss(w, feeds(fill(1, 1), fill(-50, -50), fill(0, 0)))).toBeCloseTo(-1.2, 5);
    expect(await loss(w, feeds(fill(-1, -1), fill(50, 50), fill(0, 0)))).toBeCloseTo(0.8, 5);
  });

  it('adds beta x KL to the reference once the reference differs from the policy', async () => {
    const f = feeds(fill(0, 0), fill(0, 0), fill(0, 0));
    expect(await loss({ clip: 0.2, kl: 1, imitation: 0 }, f)).toBeCloseTo(0, 6);
    const kl1 = await loss({ clip: 0.2, kl: 1, imitation: 0 }, f, 0.05);
    const kl2 = await loss({ clip: 0.2, kl: 2, imitation: 0 }, f, 0.05);
    expect(kl1).toBeGreaterThan(1e-4);
    expect(kl2).toBeCloseTo(2 * kl1, 5);
  });
});

describe('groupAdvantages', () => {
  it('normalises within each group and gives a group of equal rewards no advantage', () => {
    const a = groupAdvantages([1, 2, 3, 5, 5, 5], 3);
    const std = Math.sqrt(2 / 3);
    expect([...a.subarray(0, 3)].map((v) => +v.toFixed(6))).toEqual(
      [-1 / std, 0, 1 / std].map((v) => +v.toFixed(6)),
    );
    expect([...a.subarray(3)]).toEqual([0, 0, 0]);
    expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(RangeError);
  });
});
