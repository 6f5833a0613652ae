// The inner training loop: seeded batching of examples, one onnxruntime step per batch, a progress bar, periodic
// checkpoints through a callback, and the loss on a fixed batch before and after. Not what data a stage reads.

import { UsageError } from '../core/errors.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import type { Feeds } from '../engine/engine.js';
import type { AdamWConfig } from '../engine/optim.js';
import { Trainer } from '../engine/trainer.js';
import type { VlaConfig } from '../model/config.js';
import { frameFeeds, IGNORE, maxText, tokenFeed, vlaLoss } from '../model/vla.js';
import type { Example } from './sequences.js';

const TEXT_ROUND = 8; // the training graph's text length is the longest example rounded up to this [tokens]
const PAD = 0; // <pad>

export interface LoopOptions {
  readonly config: VlaConfig;
  readonly vocab: number;
  readonly init: ReadonlyMap<string, Float32Array> | null; // null: fresh parameters from the seed
  readonly examples: readonly Example[];
  readonly steps: number;
  readonly batch: number;
  readonly seed: number;
  readonly optim: AdamWConfig;
  readonly label: string; // progress bar label
  readonly checkpointEvery?: number; // [steps] 0 or absent: only the caller's final save
  readonly onCheckpoint?: (params: ReadonlyMap<string, Float32Array>, step: number) => void;
  readonly quiet?: boolean;
  readonly threads?: number; // onnxruntime threads (default 2)
}

export interface LoopResult {
  readonly params: Map<string, Float32Array>;
  readonly text: number; // S the graph was built for
  readonly lossBefore: number; // on the fixed evaluation batch, before the first step
  readonly lossAfter: number; // on the same batch, after the last
  readonly losses: readonly number[]; // each step's training loss
  readonly secondsPerStep: number; // [s] mean wall time of a step
}

/** The text length a batch of these examples needs: the longest, rounded up, within the model's limit. */
export function textLength(config: VlaConfig, examples: readonly Example[]): number {
  const longest = examples.reduce((m, e) => Math.max(m, e.tokens.length), 1);
  const text = Math.ceil(longest / TEXT_ROUND) * TEXT_ROUND;
  if (longest > maxText(config)) {
    throw new UsageError(`an example has ${longest} text tokens; the model takes ${maxText(config)}`);
  }
  return Math.min(text, maxText(config));
}

/** Feeds for a batch of examples at text length S. */
export function batchFeeds(config: VlaConfig, batch: readonly Example[], text: number): Feeds {
  return {
    ...frameFeeds(
      config,
      batch.map((e) => e.frame),
    ),
    tokens: tokenFeed(
      batch.map((e) => e.tokens),
      text,
      PAD,
    ),
    targets: tokenFeed(
      batch.map((e) => e.targets),
      text,
      IGNORE,
    ),
  };
}

/** Yields batches forever: each epoch a fresh seeded permutation of the examples. */
function* batches(examples: readonly Example[], size: number, rng: Rng): Generator<Example[]> {
  let order: number[] = [];
  for (;;) {
    const batch: Example[] = [];
    while (batch.length < size) {
      if (order.length === 0) order = rng.shuffle(examples.map((_, i) => i));
      batch.push(examples[order.pop()!]!);
    }
    yield batch;
  }
}

export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  if (o.examples.length === 0) throw new UsageError(`${o.label}: no training examples`);
  const text = textLength(o.config, o.examples);
  const trainer = await Trainer.create({
    build: (g) => vlaLoss(g, o.config, o.vocab, o.batch, text),
    optim: o.optim,
    seed: o.seed,
    threads: o.threads ?? 2,
  });
  try {
    if (o.init) {
      const zeros = () => new Map([...o.init!].map(([name, p]) => [name, new Float32Array(p.length)]));
      trainer.load({ step: 0, params: o.init, m: zeros(), v: zeros() });
    }
    const rng = new Rng(o.seed);
    const evalRng = rng.fork(1);
    const evalBatch = Array.from({ length: o.batch }, () => o.examples[evalRng.int(o.examples.length)]!);
    const evalFeeds = batchFeeds(o.config, evalBatch, text);
    const lossBefore = await trainer.evalLoss(evalFeeds);
    const losses: number[] = [];
    const progress = startProgress(o.label, o.steps, { quiet: o.quiet });
    const source = batches(o.examples, o.batch, rng.fork(2));
    const started = performance.now();
    for (let step = 1; step <= o.steps; step++) {
      const result = await trainer.trainStep(batchFeeds(o.config, source.next().value!, text));
      if (!Number.isFinite(result.loss))
        throw new UsageError(`${o.label}: loss is ${result.loss} at step ${step}`);
      losses.push(result.loss);
      progress.tick();
      if (o.checkpointEvery && step % o.checkpointEvery === 0 && step < o.steps) {
        o.onCheckpoint?.(trainer.params(), step);
      }
    }
    const secondsPerStep = (performance.now() - started) / 1000 / Math.max(1, o.steps);
    progress.stop();
    const lossAfter = await trainer.evalLoss(evalFeeds);
    const params = new Map([...trainer.params()].map(([name, p]) => [name, Float32Array.from(p)]));
    return { params, text, lossBefore, lossAfter, losses, secondsPerStep };
  } finally {
    await trainer.dispose();
  }
}
