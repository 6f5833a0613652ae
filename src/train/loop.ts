// The inner training loop: seeded batching of examples, one onnxruntime step per batch of the stage's objective, a
// progress bar, periodic resume state through a callback, and the loss on a fixed batch before and after.
// Not what data a stage reads nor where its state is stored (run-stage.ts).

import { DrivefmError, UsageError } from '../core/errors.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import type { AdamWConfig } from '../engine/optim.js';
import { Trainer, type TrainState } from '../engine/trainer.js';
import type { Shape } from '../engine/types.js';
import type { VlaConfig } from '../model/config.js';
import { maxText } from '../model/vla.js';
import type { Example } from './sequences.js';
import type { Objective } from './stage.js';

const TEXT_ROUND = 8; // the training graph's text length is the longest example rounded up to this [tokens]

/** Where a loop stands after some steps: what it needs to go on as if it had never stopped. */
export interface LoopProgress {
  readonly state: TrainState; // params, AdamW moments and the step count
  readonly lossBefore: number;
  readonly losses: readonly number[]; // (step,) each step's training loss so far
}

export interface LoopOptions {
  readonly config: VlaConfig;
  readonly vocab: number;
  readonly init: ReadonlyMap<string, Float32Array> | null; // null: fresh parameters from the seed
  readonly objective: Objective;
  readonly examples: readonly Example[];
  readonly steps: number;
  readonly batch: number;
  readonly seed: number;
  readonly optim: AdamWConfig;
  readonly label: string; // progress bar label
  readonly resume?: LoopProgress; // go on from here (a previous run's onCheckpoint) instead of step 0
  readonly checkpointEvery?: number; // [steps] 0 or absent: no periodic progress
  /** Periodic progress, with each param's shape (the state file stores tensors in their real shapes). */
  readonly onCheckpoint?: (progress: LoopProgress, shapes: ReadonlyMap<string, Shape>) => void;
  readonly stopAfter?: number; // stop with LoopStopped after this step, as a kill would (tests of resuming)
  readonly quiet?: boolean;
  readonly threads?: number; // onnxruntime threads (default 2)
  /** Values of the objective's frozen params by name (a teacher, a reference policy): fed, never trained. */
  readonly frozen?: ReadonlyMap<string, Float32Array>;
}

export interface LoopResult {
  readonly params: Map<string, Float32Array>;
  readonly text: number; // S the graph was built for
  readonly lossBefore: number; // on the fixed evaluation batch, before the first step
  readonly lossAfter: number; // on the same batch, after the last
  readonly losses: readonly number[]; // each step's training loss
  readonly secondsPerStep: number; // [s] mean wall time of the steps this call ran
}

/** The loop stopped on purpose (`stopAfter`) before its last step. */
export class LoopStopped extends DrivefmError {
  readonly step: number;
  constructor(label: string, step: number) {
    super('E_STOPPED', `${label}: stopped after step ${step}`);
    this.step = step;
  }
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

const copy = (m: ReadonlyMap<string, Float32Array>) =>
  new Map([...m].map(([name, p]) => [name, Float32Array.from(p)]));

export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  if (o.examples.length === 0) throw new UsageError(`${o.label}: no training examples`);
  const text = textLength(o.config, o.examples);
  const { loss, feeds } = o.objective;
  const trainer = await Trainer.create({
    build: (g) => loss(g, o.config, o.vocab, o.batch, text),
    optim: o.optim,
    seed: o.seed,
    threads: o.threads ?? 2,
    frozen: o.frozen,
  });
  try {
    if (o.resume) trainer.load(o.resume.state);
    else if (o.init) {
      const zeros = () => new Map([...o.init!].map(([name, p]) => [name, new Float32Array(p.length)]));
      trainer.load({ step: 0, params: o.init, m: zeros(), v: zeros() });
    }
    const rng = new Rng(o.seed);
    const evalRng = rng.fork(1);
    const evalBatch = Array.from({ length: o.batch }, () => o.examples[evalRng.int(o.examples.length)]!);
    const evalFeeds = feeds(o.config, evalBatch, text);
    const lossBefore = o.resume?.lossBefore ?? (await trainer.evalLoss(evalFeeds));
    const losses = [...(o.resume?.losses ?? [])];
    const first = losses.length + 1;
    const source = batches(o.examples, o.batch, rng.fork(2));
    for (let step = 1; step < first; step++) source.next(); // the batches the resumed steps took
    const progress = startProgress(o.label, o.steps - losses.length, { quiet: o.quiet });
    const started = performance.now();
    for (let step = first; step <= o.steps; step++) {
      const result = await trainer.trainStep(feeds(o.config, source.next().value!, text));
      if (!Number.isFinite(result.loss))
        throw new UsageError(`${o.label}: loss is ${result.loss} at step ${step}`);
      losses.push(result.loss);
      progress.tick();
      if (o.checkpointEvery && step % o.checkpointEvery === 0 && step < o.steps) {
        o.onCheckpoint?.({ state: trainer.snapshot(), lossBefore, losses }, trainer.paramShapes());
      }
      if (step === o.stopAfter && step < o.steps) {
        progress.stop();
        throw new LoopStopped(o.label, step);
      }
    }
    const secondsPerStep = (performance.now() - started) / 1000 / Math.max(1, o.steps - first + 1);
    progress.stop();
    const lossAfter = await trainer.evalLoss(evalFeeds);
    return { params: copy(trainer.params()), text, lossBefore, lossAfter, losses, secondsPerStep };
  } finally {
    await trainer.dispose();
  }
}
