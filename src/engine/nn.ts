// Composite ops built only from graph.ts primitives: means, one-hot, norms, activations, log-softmax.
// Not new primitives (no node kind is added, so autodiff and every engine get these free) nor losses (losses.ts).

import type { Graph } from './graph.js';
import type { Shape, Tensor } from './types.js';

/** Mean over `axes`. */
export function mean(g: Graph, x: Tensor, axes: readonly number[], keepDims = false): Tensor {
  const count = axes.reduce((n, a) => n * x.shape[a < 0 ? a + x.shape.length : a]!, 1);
  return g.mul(g.sum(x, axes, keepDims), 1 / count);
}

/** Constant 0..n-1 as int64, shaped `shape` (size n). */
export function arange(g: Graph, n: number, shape: Shape = [n]): Tensor {
  return g.constant(
    BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
    shape,
    'int64',
  );
}

/** One-hot float32 rows of width `depth` for int64 `indices`; an index outside [0, depth) gives a zero row. */
export function oneHot(g: Graph, indices: Tensor, depth: number): Tensor {
  const col = g.reshape(indices, [...indices.shape, 1]); // (..., 1)
  const range = arange(g, depth, [...indices.shape.map(() => 1), depth]); // (1.., depth)
  return g.cast(g.compare('equal', col, range), 'float32'); // (..., depth)
}

/** RMSNorm over the last axis with a learned scale `weight` (C). */
export function rmsNorm(g: Graph, x: Tensor, weight: Tensor, eps: number): Tensor {
  const ms = mean(g, g.mul(x, x), [-1], true); // (..., 1)
  return g.mul(g.mul(x, g.pow(g.add(ms, eps), -0.5)), weight); // multiply by rsqrt: no divide on (..., C)
}

/** LayerNorm over the last axis with scale and shift (C). */
export function layerNorm(g: Graph, x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const centred = g.sub(x, mean(g, x, [-1], true));
  const variance = mean(g, g.mul(centred, centred), [-1], true); // (..., 1)
  return g.add(g.mul(g.div(centred, g.sqrt(g.add(variance, eps))), weight), bias);
}

export function silu(g: Graph, x: Tensor): Tensor {
  return g.mul(x, g.sigmoid(x));
}

/** GELU, tanh approximation. */
export function gelu(g: Graph, x: Tensor): Tensor {
  const inner = g.mul(Math.sqrt(2 / Math.PI), g.add(x, g.mul(0.044715, g.mul(x, g.mul(x, x)))));
  return g.mul(g.mul(0.5, x), g.add(1, g.tanh(inner)));
}

/** log(softmax(x)) over the last axis, shifted by the (gradient-free) max for stability. */
export function logSoftmax(g: Graph, x: Tensor): Tensor {
  const shifted = g.sub(x, g.stopGrad(g.reduceMax(x, [-1], true)));
  return g.sub(shifted, g.log(g.sum(g.exp(shifted), [-1], true)));
}
