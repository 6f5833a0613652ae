// Reverse-mode autodiff: appends the gradient of a scalar loss w.r.t. chosen tensors to the same graph.
// Not an evaluator: gradients are graph nodes like any other, run by whichever engine runs the graph.

import { UsageError } from '../core/errors.js';
import type { Graph } from './graph.js';
import { oneHot } from './nn.js';
import {
  type BinaryOp,
  type GraphNode,
  nodeInputs,
  type Shape,
  sizeOf,
  type Tensor,
  type UnaryOp,
} from './types.js';

/** Sums `grad` over the axes that broadcasting expanded, giving a tensor of `shape`. */
export function unbroadcast(g: Graph, grad: Tensor, shape: Shape): Tensor {
  const extra = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    if (i < extra || (shape[i - extra] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length > 0 ? g.sum(grad, axes, true) : grad;
  const same = summed.shape.length === shape.length && summed.shape.every((d, i) => d === shape[i]);
  return same ? summed : g.reshape(summed, shape);
}

const lastTwo = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
const transposeLast = (g: Graph, t: Tensor) => g.transpose(t, lastTwo(t.shape.length));

function zerosLike(g: Graph, shape: Shape): Tensor {
  return g.expand(g.scalar(0), shape);
}

/** The gradient of a slice: `piece` lies at `start` along `axis` of its input, zero elsewhere. */
interface SlicePiece {
  readonly piece: Tensor;
  readonly axis: number;
  readonly start: number;
}
type Contribution = Tensor | SlicePiece;

function unaryGrad(g: Graph, op: UnaryOp, x: Tensor, y: Tensor, gy: Tensor): Tensor {
  switch (op) {
    case 'neg':
      return g.neg(gy);
    case 'exp':
      return g.mul(gy, y);
    case 'log':
      return g.div(gy, x);
    case 'sqrt':
      return g.div(g.mul(gy, 0.5), y);
    case 'tanh':
      return g.mul(gy, g.sub(1, g.mul(y, y)));
    case 'sigmoid':
      return g.mul(gy, g.mul(y, g.sub(1, y)));
    case 'cos':
      return g.mul(gy, g.cos(g.add(x, Math.PI / 2))); // d cos = -sin = cos(x + pi/2)
  }
}

function binaryGrad(
  g: Graph,
  op: BinaryOp,
  a: Tensor,
  b: Tensor,
  y: Tensor,
  gy: Tensor,
): (Tensor | undefined)[] {
  const ub = (t: Tensor, like: Tensor) => unbroadcast(g, t, like.shape);
  switch (op) {
    case 'add':
      return [ub(gy, a), ub(gy, b)];
    case 'sub':
      return [ub(gy, a), ub(g.neg(gy), b)];
    case 'mul':
      if (a.id === b.id) return [g.mul(g.mul(gy, a), 2), undefined]; // x * x: one contribution, not two
      return [ub(g.mul(gy, b), a), ub(g.mul(gy, a), b)];
    case 'div':
      return [ub(g.div(gy, b), a), ub(g.neg(g.div(g.mul(gy, y), b)), b)];
    case 'pow':
      return [ub(g.mul(gy, g.mul(b, g.pow(a, g.sub(b, 1)))), a), ub(g.mul(gy, g.mul(y, g.log(a))), b)];
    case 'max':
    case 'min': {
      const aWins = op === 'max' ? g.compare('less', b, a) : g.compare('less', a, b);
      const zero = g.scalar(0);
      return [ub(g.where(aWins, gy, zero), a), ub(g.where(aWins, zero, gy), b)];
    }
  }
}

/** Gradients of the node's inputs (in nodeInputs order; undefined where none flows) given the output's `gy`. */
function vjp(g: Graph, node: GraphNode, y: Tensor, gy: Tensor): (Contribution | undefined)[] {
  switch (node.kind) {
    case 'input':
    case 'const':
    case 'compare':
    case 'stopGrad':
    case 'quantize': // post-training only: no gradient flows through int8
    case 'dequantize':
      return [];
    case 'cast':
      return [g.tensor(node.x).dtype === 'float32' && node.dtype === 'float32' ? gy : undefined];
    case 'unary':
      return [unaryGrad(g, node.op, g.tensor(node.x), y, gy)];
    case 'binary':
      return binaryGrad(g, node.op, g.tensor(node.a), g.tensor(node.b), y, gy);
    case 'where': {
      const zero = g.scalar(0);
      const cond = g.tensor(node.cond);
      return [
        undefined,
        unbroadcast(g, g.where(cond, gy, zero), g.tensor(node.a).shape),
        unbroadcast(g, g.where(cond, zero, gy), g.tensor(node.b).shape),
      ];
    }
    case 'matmul': {
      const a = g.tensor(node.a);
      const b = g.tensor(node.b);
      const ga = unbroadcast(g, g.matmul(gy, transposeLast(g, b)), a.shape);
      if (b.shape.length === 2 && a.shape.length > 2) {
        // weight of a linear layer: fold the batch dims into one big matmul instead of summing per batch
        const k = a.shape[a.shape.length - 1]!;
        const n = b.shape[1]!;
        const a2 = g.reshape(a, [-1, k]); // (N, K)
        const gy2 = g.reshape(gy, [-1, n]); // (N, Nout)
        return [ga, g.matmul(g.transpose(a2, [1, 0]), gy2)];
      }
      return [ga, unbroadcast(g, g.matmul(transposeLast(g, a), gy), b.shape)];
    }
    case 'reduce': {
      const x = g.tensor(node.x);
      const kept = x.shape.map((d, i) => (node.axes.includes(i) ? 1 : d));
      const gyKept = g.reshape(gy, kept);
      if (node.op === 'sum') return [g.expand(gyKept, x.shape)];
      const hit = g.cast(g.compare('equal', x, g.reshape(y, kept)), 'float32');
      return [g.mul(hit, g.div(gyKept, g.sum(hit, node.axes, true)))]; // ties share the gradient
    }
    case 'softmax':
      return [g.mul(y, g.sub(gy, g.sum(g.mul(gy, y), [node.axis], true)))];
    case 'reshape':
      return [g.reshape(gy, g.tensor(node.x).shape)];
    case 'transpose': {
      const inverse = node.perm.map((_, i) => node.perm.indexOf(i));
      return [g.transpose(gy, inverse)];
    }
    case 'expand':
      return [unbroadcast(g, gy, g.tensor(node.x).shape)];
    case 'concat': {
      let offset = 0;
      return node.xs.map((id) => {
        const len = g.tensor(id).shape[node.axis]!;
        offset += len;
        return g.slice(gy, node.axis, offset - len, offset);
      });
    }
    case 'slice':
      return [{ piece: gy, axis: node.axis, start: node.start }]; // placed (with its siblings) by assemble()
    case 'gather': {
      // d table = onehot(indices)^T @ gy, as one matmul (the embedding gradient)
      const table = g.tensor(node.table);
      const rows = table.shape[0]!;
      const width = sizeOf(table.shape.slice(1));
      const hot = oneHot(g, g.reshape(g.tensor(node.indices), [-1]), rows); // (N, V)
      const gy2 = g.reshape(gy, [-1, width]); // (N, D)
      return [g.reshape(g.matmul(g.transpose(hot, [1, 0]), gy2), table.shape), undefined];
    }
  }
}

/** Appends d loss / d t for each `t` in `wrt` to `g` (zeros where the loss does not depend on t). */
export function gradients(g: Graph, loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  if (loss.shape.length !== 0 || loss.dtype !== 'float32') {
    throw new UsageError(
      `gradients: loss must be a float32 scalar, got ${loss.dtype} (${loss.shape.join(', ')})`,
    );
  }
  const wanted = new Set(wrt.map((t) => t.id));
  const last = loss.id;
  // forward pass: which nodes depend on any wrt tensor
  const live = new Set<number>();
  for (let id = 0; id <= last; id++) {
    const node = g.nodes[id]!;
    if (wanted.has(id) || nodeInputs(node).some((i) => live.has(i))) live.add(id);
  }
  const pending = new Map<number, Contribution[]>([[last, [g.scalar(1)]]]);
  const gradOf = (id: number) => {
    const parts = pending.get(id);
    return parts ? assemble(g, g.tensor(id).shape, parts) : undefined;
  };
  for (let id = last; id >= 0; id--) {
    const node = g.nodes[id]!;
    if (!live.has(id) || node.kind === 'input' || !pending.has(id)) continue;
    const inputGrads = vjp(g, node, g.tensor(id), gradOf(id)!);
    pending.delete(id);
    nodeInputs(node).forEach((inId, i) => {
      const gi = inputGrads[i];
      if (!gi || !live.has(inId)) return;
      pending.set(inId, [...(pending.get(inId) ?? []), gi]);
    });
  }
  return wrt.map((t) => gradOf(t.id) ?? zerosLike(g, t.shape));
}

/**
 * Sums a tensor's gradient contributions. Slice pieces along one axis that do not overlap become ONE concat
 * with zero gaps (q/k/v split from one matmul, RoPE halves), not a zero-padded copy per slice.
 */
function assemble(g: Graph, shape: Shape, parts: readonly Contribution[]): Tensor {
  const dense = parts.filter((p): p is Tensor => !('piece' in p));
  const pieces = parts.filter((p): p is SlicePiece => 'piece' in p);
  const byAxis = new Map<number, SlicePiece[]>();
  for (const p of pieces) byAxis.set(p.axis, [...(byAxis.get(p.axis) ?? []), p]);
  for (const [axis, list] of byAxis) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    const rows: SlicePiece[][] = []; // each row holds non-overlapping pieces
    for (const p of sorted) {
      const row = rows.find((r) => {
        const q = r[r.length - 1]!;
        return q.start + q.piece.shape[axis]! <= p.start;
      });
      if (row) row.push(p);
      else rows.push([p]);
    }
    for (const row of rows) {
      const out: Tensor[] = [];
      let at = 0;
      const gap = (n: number) =>
        zerosLike(
          g,
          shape.map((d, i) => (i === axis ? n : d)),
        );
      for (const p of row) {
        if (p.start > at) out.push(gap(p.start - at));
        out.push(p.piece);
        at = p.start + p.piece.shape[axis]!;
      }
      if (at < shape[axis]!) out.push(gap(shape[axis]! - at));
      dense.push(out.length === 1 ? out[0]! : g.concat(out, axis));
    }
  }
  return dense.reduce((sum, t) => g.add(sum, t));
}
