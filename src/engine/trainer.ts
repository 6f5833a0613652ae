// The training API over either engine: seeded parameter init, step(batch) -> loss as ONE graph run, state access.
// Not a data loader or a schedule of epochs (train/ owns those); checkpoint.ts saves what snapshot() returns.

import { UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { gradients } from './autodiff.js';
import type { Engine, Feeds, HostTensor } from './engine.js';
import { type FrozenSpec, Graph, type ParamSpec } from './graph.js';
import { type AdamWConfig, adamw } from './optim.js';
import { createReferenceEngine } from './reference.js';
import { createOrtEngine } from './session.js';
import { type Shape, sizeOf, type Tensor } from './types.js';

/** Builds the model on `g` (declaring params with g.param and batch inputs with g.input) and returns its loss. */
export type LossBuilder = (g: Graph) => Tensor;

export interface TrainerOptions {
  readonly build: LossBuilder;
  readonly optim: AdamWConfig;
  readonly seed: number;
  readonly engine?: 'onnxruntime' | 'reference'; // default onnxruntime
  readonly threads?: number; // onnxruntime intra-op threads (default 2)
  /** Values of the graph's frozen params by name (each one required): fed every step, never updated or saved. */
  readonly frozen?: ReadonlyMap<string, Float32Array>;
}

/** Everything a step depends on besides the batch: what a checkpoint holds. */
export interface TrainState {
  readonly step: number;
  readonly params: ReadonlyMap<string, Float32Array>;
  readonly m: ReadonlyMap<string, Float32Array>;
  readonly v: ReadonlyMap<string, Float32Array>;
}

export interface StepResult {
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
}

/** The input holding every param end to end (declaration order); the optimiser updates it as one vector. */
export const FLAT_PARAMS = 'params';

/**
 * The training graph: loss, gradients, and one AdamW update on the flat parameter vector. Inputs: the batch,
 * each param (trainable and frozen) by name, `params` (the trainable ones end to end: the trainer feeds views of
 * one buffer, so nothing is split or copied), `m`, `v`, `step`. Outputs: `loss`, `lr`, `grad_norm`, `new.params`, `new.m`, `new.v`.
 */
export function buildTrainGraph(
  build: LossBuilder,
  optim: AdamWConfig,
): { graph: Graph; params: ParamSpec[] } {
  const g = new Graph();
  const loss = build(g);
  const grads = gradients(
    g,
    loss,
    g.params.map((p) => p.tensor),
  );
  const flatGrad = g.concat(
    grads.map((gr) => g.reshape(gr, [-1])),
    0,
  ); // (N)
  const total = flatGrad.shape[0]!;
  const mask = new Float32Array(total);
  for (const p of g.params) if (p.decay) mask.fill(1, p.offset, p.offset + sizeOf(p.tensor.shape));
  const opt = adamw(g, g.input(FLAT_PARAMS, [total]), flatGrad, mask, optim);
  g.output('loss', loss);
  g.output('lr', opt.lr);
  g.output('grad_norm', opt.gradNorm);
  g.output(`new.${FLAT_PARAMS}`, opt.newParams);
  g.output('new.m', opt.newM);
  g.output('new.v', opt.newV);
  return { graph: g, params: g.params };
}

/** Initial values of each param, drawn from its own stream of `seed` (so adding a param leaves others alone). */
export function initParams(params: readonly ParamSpec[], seed: number): Map<string, Float32Array> {
  const root = new Rng(seed);
  return new Map(
    params.map((p, i) => {
      const rng = root.fork(i);
      const n = sizeOf(p.tensor.shape);
      const init = p.init;
      const data =
        init.kind === 'normal'
          ? Float32Array.from({ length: n }, () => rng.normal(0, init.std))
          : new Float32Array(n).fill(init.value);
      return [p.name, data];
    }),
  );
}

const STATE = [FLAT_PARAMS, 'm', 'v'] as const;

/** Feeds for the frozen params, checked against their shapes; a missing or mis-sized one is a UsageError. */
function frozenFeeds(
  specs: readonly FrozenSpec[],
  values: ReadonlyMap<string, Float32Array>,
): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const { name, tensor } of specs) {
    const data = values.get(name);
    const n = sizeOf(tensor.shape);
    if (!data || data.length !== n) {
      throw new UsageError(`frozen param '${name}' has ${data?.length ?? 0} values, expected ${n}`);
    }
    feeds[name] = { dtype: 'float32', shape: tensor.shape, data };
  }
  const unknown = [...values.keys()].find((name) => !specs.some((p) => p.name === name));
  if (unknown !== undefined)
    throw new UsageError(`frozen value '${unknown}' is not a frozen param of the graph`);
  return feeds;
}

export class Trainer {
  private constructor(
    private readonly engine: Engine,
    readonly graph: Graph,
    readonly paramSpecs: readonly ParamSpec[],
    private values: Map<string, HostTensor>, // params, m, v: fed to the next step
    private spare: Map<string, HostTensor>, // buffers the next step writes into; then the two swap
    private stepCount: number,
    private readonly options: TrainerOptions,
    private readonly frozen: Readonly<Record<string, HostTensor>>, // fed as they are, every run
  ) {}

  private forward: Promise<Engine> | undefined; // the loss alone, for evaluation: built on first use

  static async create(options: TrainerOptions): Promise<Trainer> {
    const { graph, params } = buildTrainGraph(options.build, options.optim);
    const frozen = frozenFeeds(graph.frozen, options.frozen ?? new Map());
    const engine =
      options.engine === 'reference'
        ? createReferenceEngine(graph)
        : await createOrtEngine(graph, { threads: options.threads ?? 2 });
    const trainer = new Trainer(engine, graph, params, new Map(), new Map(), 0, options, frozen);
    const zeros = () => new Map(params.map((p) => [p.name, new Float32Array(sizeOf(p.tensor.shape))]));
    trainer.load({ step: 0, params: initParams(params, options.seed), m: zeros(), v: zeros() });
    return trainer;
  }

  get step(): number {
    return this.stepCount;
  }

  /** One optimiser step on `batch` (the graph's data inputs); returns the loss before the update. */
  async trainStep(batch: Feeds): Promise<StepResult> {
    const feeds: Record<string, HostTensor> = { ...batch };
    for (const [name, t] of this.values) feeds[name] = t;
    Object.assign(feeds, this.paramFeeds()); // views of the flat params: the same memory, not a copy
    feeds.step = { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(this.stepCount)) };
    const into = Object.fromEntries(STATE.map((name) => [`new.${name}`, this.spare.get(name)!]));
    const out = await this.engine.run(feeds, into);
    [this.values, this.spare] = [this.spare, this.values];
    this.stepCount++;
    const scalar = (name: string) => Number(out[name]!.data[0]);
    return { loss: scalar('loss'), lr: scalar('lr'), gradNorm: scalar('grad_norm') };
  }

  private unflatten(name: string, copy: boolean): Map<string, Float32Array> {
    const flat = this.values.get(name)!.data as Float32Array;
    return new Map(
      this.paramSpecs.map((p) => {
        const view = flat.subarray(p.offset, p.offset + sizeOf(p.tensor.shape));
        return [p.name, copy ? Float32Array.from(view) : view];
      }),
    );
  }

  /** The loss on `batch` with the current params, without a step (the forward graph alone). */
  async evalLoss(batch: Feeds): Promise<number> {
    this.forward ??= (async () => {
      const g = new Graph();
      g.output('loss', this.options.build(g));
      return this.options.engine === 'reference'
        ? createReferenceEngine(g)
        : createOrtEngine(g, { threads: this.options.threads ?? 2 });
    })();
    const out = await (await this.forward).run({ ...batch, ...this.paramFeeds() });
    return Number(out.loss!.data[0]);
  }

  /** Current trainable parameters by name (views of the engine's latest output: copy before keeping them). */
  params(): Map<string, Float32Array> {
    return this.unflatten(FLAT_PARAMS, false);
  }

  /** Feeds for a forward graph built by the same builder on a plain Graph (trainable and frozen params). */
  paramFeeds(): Record<string, HostTensor> {
    const params = this.params();
    const trainable = this.paramSpecs.map((p) => [
      p.name,
      { dtype: 'float32', shape: p.tensor.shape, data: params.get(p.name)! },
    ]);
    return { ...Object.fromEntries(trainable), ...this.frozen };
  }

  /** Each trainable param's shape by name (what saveCheckpoint stores the tensors as). */
  paramShapes(): Map<string, Shape> {
    return new Map(this.paramSpecs.map((p) => [p.name, p.tensor.shape]));
  }

  /** A copy of everything the next step depends on besides the batch. */
  snapshot(): TrainState {
    return {
      step: this.stepCount,
      params: this.unflatten(FLAT_PARAMS, true),
      m: this.unflatten('m', true),
      v: this.unflatten('v', true),
    };
  }

  /** Replaces the whole training state (e.g. from a checkpoint); names and sizes must match the graph. */
  load(s: TrainState): void {
    const total = this.graph.inputs.get(FLAT_PARAMS)!.shape[0]!;
    for (const [name, byParam] of [
      [FLAT_PARAMS, s.params],
      ['m', s.m],
      ['v', s.v],
    ] as const) {
      const flat = new Float32Array(total);
      for (const p of this.paramSpecs) {
        const data = byParam.get(p.name);
        const n = sizeOf(p.tensor.shape);
        if (!data || data.length !== n) {
          throw new UsageError(`${name} of '${p.name}' has ${data?.length ?? 0} values, expected ${n}`);
        }
        flat.set(data, p.offset);
      }
      this.values.set(name, { dtype: 'float32', shape: [total], data: flat });
      this.spare.set(name, { dtype: 'float32', shape: [total], data: new Float32Array(total) });
    }
    this.stepCount = s.step;
  }

  async dispose(): Promise<void> {
    await this.engine.dispose();
    if (this.forward) await (await this.forward).dispose();
  }
}
