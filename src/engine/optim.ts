// AdamW with decoupled weight decay, global-norm gradient clipping and a warmup + cosine learning rate, as graph
// nodes: the step counter is an int64 input, so one run is one whole optimiser step. Not the training loop.

import type { Graph } from './graph.js';
import type { Tensor } from './types.js';

export interface AdamWConfig {
  readonly lr: number; // peak learning rate, reached at the end of warmup
  readonly minLr: number; // floor of the cosine decay
  readonly warmupSteps: number; // linear ramp from lr/warmupSteps to lr
  readonly totalSteps: number; // the cosine reaches minLr here and stays
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number; // decoupled: p -= lr * wd * p, on params marked decay
  readonly clipNorm: number; // global L2 norm the gradients are scaled down to (Infinity: no clipping)
}

export const DEFAULT_ADAMW: AdamWConfig = {
  lr: 3e-3,
  minLr: 3e-4,
  warmupSteps: 20,
  totalSteps: 1000,
  beta1: 0.9,
  beta2: 0.95, // the usual LLM choice: faster second-moment tracking than 0.999
  eps: 1e-8,
  weightDecay: 0.1,
  clipNorm: 1.0,
};

/** The schedule in plain TypeScript, for tests and logs; `step` counts from 0. */
export function learningRate(step: number, c: AdamWConfig): number {
  const t = step + 1;
  if (t < c.warmupSteps) return (c.lr * t) / c.warmupSteps;
  const progress = Math.min(1, Math.max(0, (t - c.warmupSteps) / Math.max(1, c.totalSteps - c.warmupSteps)));
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * progress));
}

/** The same schedule as graph nodes; `t` is the float step counted from 1. */
function scheduleNodes(g: Graph, t: Tensor, c: AdamWConfig): Tensor {
  const warm = g.mul(t, c.lr / c.warmupSteps);
  const span = Math.max(1, c.totalSteps - c.warmupSteps);
  const progress = g.min(1, g.max(0, g.div(g.sub(t, c.warmupSteps), span)));
  const cosine = g.add(c.minLr, g.mul(0.5 * (c.lr - c.minLr), g.add(1, g.cos(g.mul(progress, Math.PI)))));
  return g.where(g.compare('less', t, g.scalar(c.warmupSteps)), warm, cosine);
}

export interface AdamWNodes {
  readonly lr: Tensor;
  readonly gradNorm: Tensor; // before clipping
  readonly newParams: Tensor;
  readonly newM: Tensor;
  readonly newV: Tensor;
}

/**
 * One AdamW step on the flat parameter vector (N) with gradient `grad` (N). Declares the inputs `m`, `v` (N)
 * and `step` (int64 scalar: steps already taken). `decayMask` (N) is 1 where weight decay applies, else 0.
 */
export function adamw(
  g: Graph,
  params: Tensor,
  grad: Tensor,
  decayMask: Float32Array,
  c: AdamWConfig,
): AdamWNodes {
  const n = params.shape;
  const step = g.input('step', [], 'int64');
  const m = g.input('m', n);
  const v = g.input('v', n);
  const t = g.add(g.cast(step, 'float32'), 1);
  const lr = scheduleNodes(g, t, c);
  const squares = g.mul(grad, grad); // (N), shared by the norm and the second moment
  const gradNorm = g.sqrt(g.sum(squares, [0]));
  const clip = g.min(1, g.div(c.clipNorm, g.add(gradNorm, 1e-6)));
  // the clip factor is folded into scalars: m uses clip * g, v uses clip^2 * g^2
  const newM = g.add(g.mul(m, c.beta1), g.mul(grad, g.mul(clip, 1 - c.beta1)));
  const newV = g.add(g.mul(v, c.beta2), g.mul(squares, g.mul(g.mul(clip, clip), 1 - c.beta2)));
  const stepSize = g.div(lr, g.sub(1, g.pow(c.beta1, t))); // lr / (1 - b1^t)
  const vScale = g.div(1, g.sqrt(g.sub(1, g.pow(c.beta2, t)))); // 1 / sqrt(1 - b2^t)
  const denom = g.add(g.mul(g.sqrt(newV), vScale), c.eps);
  const decay = g.sub(1, g.mul(g.mul(lr, c.weightDecay), g.constant(decayMask, n))); // (N)
  const newParams = g.sub(g.mul(params, decay), g.mul(stepSize, g.div(newM, denom)));
  return { lr, gradNorm, newParams, newM, newV };
}
