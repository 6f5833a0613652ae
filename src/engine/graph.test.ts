import { describe, expect, it } from 'vitest';
import { gradients } from './autodiff.js';
import { f32 } from './engine.js';
import { Graph, ShapeError } from './graph.js';
import { createReferenceEngine } from './reference.js';

describe('graph builder', () => {
  it('refuses mismatched shapes with an error naming the op and the shapes', () => {
    const g = new Graph();
    const a = g.input('a', [2, 3]);
    const b = g.input('b', [4, 5]);
    expect(() => g.matmul(a, b)).toThrow(ShapeError);
    expect(() => g.matmul(a, b)).toThrow('matmul: inner dims 3 != 4 [shapes (2, 3), (4, 5)]');
    expect(() => g.add(a, b)).toThrow('add: cannot broadcast dim 2 with 4 [shapes (2, 3), (4, 5)]');
    expect(() => g.reshape(a, [4, -1])).toThrow(/reshape: cannot reshape 6 elements/);
    expect(() => g.slice(a, 1, 2, 5)).toThrow('slice: range [2, 5) out of dim 3 on axis 1 [shapes (2, 3)]');
    expect(() => g.gather(a, a)).toThrow('gather: indices must be int64');
    expect(() => g.transpose(a, [0, 0])).toThrow(/transpose: bad permutation/);
  });

  it('declares params under nested scopes: prefixes join, frozen sticks, the outer scope comes back', () => {
    const g = new Graph();
    const init = { kind: 'const', value: 0 } as const;
    g.declare({ prefix: 'teacher/', frozen: true }, () => {
      g.param('w', [2], init);
      g.declare({ prefix: 'head/', frozen: false }, () => g.param('b', [1], init));
    });
    g.param('w', [2], init);
    expect(g.frozen.map((p) => p.name)).toEqual(['teacher/w', 'teacher/head/b']);
    expect(g.params.map((p) => [p.name, p.offset])).toEqual([['w', 0]]);
    expect(() => g.declare({ prefix: '', frozen: true }, () => g.param('w', [2], init))).toThrow(
      "input 'w' declared twice",
    );
  });

  it('infers broadcast, matmul and reduction shapes', () => {
    const g = new Graph();
    const x = g.input('x', [2, 1, 3, 4]);
    expect(g.matmul(x, g.input('w', [5, 4, 6])).shape).toEqual([2, 5, 3, 6]);
    expect(g.sum(x, [1, -1]).shape).toEqual([2, 3]);
    expect(g.sum(x, [1, -1], true).shape).toEqual([2, 1, 3, 1]);
    expect(g.reshape(x, [-1, 4]).shape).toEqual([6, 4]);
  });

  it('stops gradients at stopGrad: d/dx [x * stopGrad(exp(x))] = exp(x)', async () => {
    const g = new Graph();
    const x = g.input('x', [3]);
    const loss = g.sum(g.mul(x, g.stopGrad(g.exp(x))), [0]);
    g.output('dx', gradients(g, loss, [x])[0]!);
    const out = await createReferenceEngine(g).run({ x: f32([3], [0, 1, -1]) });
    expect(Array.from(out.dx!.data as Float32Array)).toEqual(
      Array.from(Float32Array.of(1, Math.E, 1 / Math.E)),
    );
  });

  it('gives zeros for a tensor the loss does not depend on', async () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    const unused = g.input('u', [2]);
    g.output('du', gradients(g, g.sum(g.mul(x, x), [0]), [unused])[0]!);
    const out = await createReferenceEngine(g).run({ x: f32([2], [1, 2]), u: f32([2], [3, 4]) });
    expect(Array.from(out.du!.data as Float32Array)).toEqual([0, 0]);
  });
});
