import { describe, it } from 'vitest';
import { checkOp } from './check-op.js';
import type { Graph } from './graph.js';
import { gelu, layerNorm, logSoftmax, mean, rmsNorm, silu } from './nn.js';

const P = { range: [0.5, 2] } as const; // strictly positive inputs (log, sqrt, pow)

describe('every op: gradient vs finite differences, onnxruntime vs reference', () => {
  it('add (broadcast)', () => checkOp((g, [a, b]) => g.add(a!, b!), [{ shape: [2, 3] }, { shape: [3] }]));
  it('sub (broadcast)', () => checkOp((g, [a, b]) => g.sub(a!, b!), [{ shape: [2, 1] }, { shape: [1, 3] }]));
  it('mul (broadcast)', () =>
    checkOp((g, [a, b]) => g.mul(a!, b!), [{ shape: [2, 3, 2] }, { shape: [3, 1] }]));
  it('mul of a tensor by itself', () => checkOp((g, [a]) => g.mul(a!, a!), [{ shape: [2, 3] }]));
  it('div', () => checkOp((g, [a, b]) => g.div(a!, b!), [{ shape: [2, 3] }, { shape: [2, 3], ...P }]));
  it('pow', () => checkOp((g, [a, b]) => g.pow(a!, b!), [{ shape: [4], ...P }, { shape: [4] }]));
  it('max', () => checkOp((g, [a, b]) => g.max(a!, b!), [{ shape: [6] }, { shape: [6] }]));
  it('min', () => checkOp((g, [a, b]) => g.min(a!, b!), [{ shape: [6] }, { shape: [1] }]));
  it('neg', () => checkOp((g, [x]) => g.neg(x!), [{ shape: [5] }]));
  it('exp', () => checkOp((g, [x]) => g.exp(x!), [{ shape: [5] }]));
  it('log', () => checkOp((g, [x]) => g.log(x!), [{ shape: [5], ...P }]));
  it('sqrt', () => checkOp((g, [x]) => g.sqrt(x!), [{ shape: [5], ...P }]));
  it('tanh', () => checkOp((g, [x]) => g.tanh(x!), [{ shape: [5] }]));
  it('sigmoid', () => checkOp((g, [x]) => g.sigmoid(x!), [{ shape: [5] }]));
  it('cos', () => checkOp((g, [x]) => g.cos(x!), [{ shape: [5] }]));
  it('matmul 2-D', () => checkOp((g, [a, b]) => g.matmul(a!, b!), [{ shape: [3, 4] }, { shape: [4, 2] }]));
  it('matmul batched, broadcast', () =>
    checkOp((g, [a, b]) => g.matmul(a!, b!), [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }]));
  it('matmul (B, T, C) @ (C, D)', () =>
    checkOp((g, [a, b]) => g.matmul(a!, b!), [{ shape: [2, 3, 4] }, { shape: [4, 5] }]));
  it('reduce sum', () => checkOp((g, [x]) => g.sum(x!, [0, 2]), [{ shape: [2, 3, 4] }]));
  it('reduce sum keepDims', () => checkOp((g, [x]) => g.sum(x!, [1], true), [{ shape: [2, 3, 4] }]));
  it('reduce max', () => checkOp((g, [x]) => g.reduceMax(x!, [-1]), [{ shape: [3, 5] }]));
  it('mean', () => checkOp((g, [x]) => mean(g, x!, [1]), [{ shape: [2, 3, 2] }]));
  it('softmax', () => checkOp((g, [x]) => g.softmax(x!, -1), [{ shape: [2, 5] }]));
  it('softmax middle axis', () => checkOp((g, [x]) => g.softmax(x!, 1), [{ shape: [2, 3, 2] }]));
  it('reshape', () =>
    checkOp((g, [x]) => g.mul(g.reshape(x!, [3, -1]), g.reshape(x!, [3, 4])), [{ shape: [2, 6] }]));
  it('transpose', () => checkOp((g, [x]) => g.transpose(x!, [2, 0, 1]), [{ shape: [2, 3, 4] }]));
  it('expand', () => checkOp((g, [x]) => g.expand(x!, [2, 3, 4]), [{ shape: [3, 1] }]));
  it('concat', () =>
    checkOp((g, [a, b]) => g.concat([a!, b!, a!], 1), [{ shape: [2, 1] }, { shape: [2, 3] }]));
  it('slice', () => checkOp((g, [x]) => g.slice(x!, 1, 1, 3), [{ shape: [2, 4] }]));
  it('gather', () =>
    checkOp(
      (g, [t, i]) => g.gather(t!, i!),
      [{ shape: [5, 3] }, { shape: [2, 3], dtype: 'int64', range: [0, 4] }],
    ));
  it('where', () =>
    checkOp(
      (g, [c, a, b]) => g.where(g.compare('less', c!, g.scalar(0)), a!, b!),
      [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [3] }],
    ));
  it('equal and cast', () =>
    checkOp(
      (g, [i]) => g.cast(g.compare('equal', i!, g.scalar(2, 'int64')), 'int64'),
      [{ shape: [6], dtype: 'int64', range: [0, 3] }],
    ));
  it('cast float -> int64 -> float', () =>
    checkOp(
      (g, [x]) => g.mul(x!, g.cast(g.cast(g.mul(x!, 3), 'int64'), 'float32')),
      [{ shape: [5], range: [0.1, 2] }],
    ));
  it('slices: disjoint and overlapping', () =>
    checkOp(
      (g, [x]) => g.add(g.mul(g.slice(x!, 1, 0, 2), g.slice(x!, 1, 2, 4)), g.slice(x!, 1, 1, 3)),
      [{ shape: [2, 5] }],
    ));
  it('rmsNorm', () =>
    checkOp((g, [x, w]) => rmsNorm(g, x!, w!, 1e-6), [{ shape: [2, 3, 4] }, { shape: [4] }]));
  it('layerNorm', () =>
    checkOp(
      (g, [x, w, b]) => layerNorm(g, x!, w!, b!, 1e-5),
      [{ shape: [3, 4] }, { shape: [4] }, { shape: [4] }],
    ));
  it('silu', () => checkOp((g, [x]) => silu(g, x!), [{ shape: [5] }]));
  it('gelu', () => checkOp((g, [x]) => gelu(g, x!), [{ shape: [5] }]));
  it('logSoftmax', () => checkOp((g, [x]) => logSoftmax(g, x!), [{ shape: [3, 4] }]));
});

describe('int8: QuantizeLinear / DequantizeLinear in the reference and onnxruntime', () => {
  // scales are constants (no gradient flows through int8); inputs avoid rounding ties except where tested
  const scales = (g: Graph, n: number) =>
    g.constant(
      Float32Array.from({ length: n }, (_, i) => 0.01 + 0.01 * i),
      n === 1 ? [] : [n],
    );
  it('quantize per tensor (saturates at +-127)', () =>
    checkOp((g, [x]) => g.quantize(x!, scales(g, 1)), [{ shape: [3, 4], range: [-3, 3] }]));
  it('quantize then dequantize per channel', () =>
    checkOp(
      (g, [x]) => g.dequantize(g.quantize(x!, scales(g, 3), 1), scales(g, 3), 1),
      [{ shape: [2, 3, 4] }],
    ));
  it('quantize rounds half to even and saturates', () =>
    checkOp(
      (g, [i]) => {
        const x = g.constant(Float32Array.of(0.25, 0.75, -0.25, -0.75, 1.25, 200), [6]);
        return g.add(g.cast(g.quantize(x, g.scalar(0.5)), 'float32'), g.cast(i!, 'float32'));
      },
      [{ shape: [6], dtype: 'int64', values: [0, 0, 0, 0, 0, 0] }],
    ));
});
