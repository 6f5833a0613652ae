// The graph builder: one method per primitive, each checking dtypes and static shapes as the node is made.
// Not composites (nn.ts), not gradients (autodiff.ts), and it runs nothing (reference.ts, session.ts do).

import { UsageError } from '../core/errors.js';
import { hostTensor } from './engine.js';
import {
  type BinaryOp,
  type CompareOp,
  type DType,
  formatShape,
  type GraphNode,
  type Node,
  nodeInputs,
  type ReduceOp,
  type Shape,
  sizeOf,
  type Tensor,
  type TensorData,
  type UnaryOp,
} from './types.js';

/** A shape or dtype mismatch found while building a graph; names the op and the shapes involved. */
export class ShapeError extends UsageError {
  readonly op: string;
  readonly shapes: readonly Shape[];
  constructor(op: string, shapes: readonly Shape[], message: string) {
    super(`${op}: ${message} [shapes ${shapes.map(formatShape).join(', ')}]`);
    this.op = op;
    this.shapes = shapes;
  }
}

/** How a parameter is initialised from the seed; `decay` says whether AdamW's weight decay applies. */
export type ParamInit =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'const'; readonly value: number };

export interface ParamSpec {
  readonly name: string;
  readonly tensor: Tensor; // the input named `name`
  readonly init: ParamInit;
  readonly decay: boolean;
  readonly offset: number; // first element in the flat vector of all params in declaration order
}

/**
 * A frozen parameter: a float32 input the trainer feeds from given values and never updates, gives no gradient
 * or optimiser state and never saves (a reference policy, a teacher beside the model being trained).
 */
export interface FrozenSpec {
  readonly name: string;
  readonly tensor: Tensor; // the input named `name`
}

/** How params declared inside Graph.declare are named (`prefix` + name) and whether they are frozen. */
export interface ParamScope {
  readonly prefix: string;
  readonly frozen: boolean;
}

export const TRAINABLE: ParamScope = { prefix: '', frozen: false };

/** Numpy broadcasting of two shapes, or a ShapeError naming `op`. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, [a, b], `cannot broadcast dim ${da} with ${db}`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

function normAxis(op: string, axis: number, rank: number, shape: Shape): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank)
    throw new ShapeError(op, [shape], `axis ${axis} out of range`);
  return a;
}

export class Graph {
  readonly nodes: GraphNode[] = [];
  readonly inputs = new Map<string, Tensor>();
  readonly outputs = new Map<string, Tensor>();
  readonly params: ParamSpec[] = []; // trainable, in declaration order
  readonly frozen: FrozenSpec[] = [];
  private scope: ParamScope = TRAINABLE;

  private push(node: Node, shape: Shape, dtype: DType): Tensor {
    const id = this.nodes.length;
    this.nodes.push({ ...node, shape: [...shape], dtype } as GraphNode);
    return { id, shape: [...shape], dtype };
  }

  tensor(id: number): Tensor {
    const n = this.nodes[id];
    if (!n) throw new UsageError(`tensor ${id} is not in this graph`);
    return { id, shape: n.shape, dtype: n.dtype };
  }

  // ---- leaves ----

  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (this.inputs.has(name)) throw new UsageError(`input '${name}' declared twice`);
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new ShapeError('input', [shape], `bad shape`);
    const t = this.push({ kind: 'input', name }, shape, dtype);
    this.inputs.set(name, t);
    return t;
  }

  /**
   * A trainable float32 input named scope prefix + `name`; the trainer initialises it from `init` and updates it
   * each step. Inside a frozen scope it is a frozen param instead (`init` and `decay` then do not apply).
   */
  param(name: string, shape: Shape, init: ParamInit, decay = shape.length >= 2): Tensor {
    const full = this.scope.prefix + name;
    const t = this.input(full, shape, 'float32');
    if (this.scope.frozen) {
      this.frozen.push({ name: full, tensor: t });
      return t;
    }
    const last = this.params[this.params.length - 1];
    const offset = last ? last.offset + sizeOf(last.tensor.shape) : 0;
    this.params.push({ name: full, tensor: t, init, decay, offset });
    return t;
  }

  /** Runs `body` with params declared under `scope` (prefixes nest; frozen stays frozen); returns its result. */
  declare<T>(scope: ParamScope, body: () => T): T {
    const outer = this.scope;
    this.scope = { prefix: outer.prefix + scope.prefix, frozen: outer.frozen || scope.frozen };
    try {
      return body();
    } finally {
      this.scope = outer;
    }
  }

  constant(data: TensorData, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError('const', [shape], `has ${data.length} values for ${sizeOf(shape)} elements`);
    }
    hostTensor(dtype, shape, data); // checks the typed array matches the dtype
    return this.push({ kind: 'const', data }, shape, dtype);
  }

  scalar(value: number, dtype: DType = 'float32'): Tensor {
    if (dtype === 'int64') return this.constant(BigInt64Array.of(BigInt(value)), [], dtype);
    if (dtype === 'int32') return this.constant(Int32Array.of(value), [], dtype);
    if (dtype === 'bool') return this.constant(Uint8Array.of(value ? 1 : 0), [], dtype);
    return this.constant(Float32Array.of(value), [], dtype);
  }

  output(name: string, t: Tensor): void {
    if (this.outputs.has(name)) throw new UsageError(`output '${name}' declared twice`);
    this.outputs.set(name, t);
  }

  // ---- elementwise ----

  private float(op: string, ...ts: Tensor[]): void {
    for (const t of ts) {
      if (t.dtype !== 'float32') throw new ShapeError(op, [t.shape], `needs float32, got ${t.dtype}`);
    }
  }

  unary(op: UnaryOp, x: Tensor): Tensor {
    this.float(op, x);
    return this.push({ kind: 'unary', op, x: x.id }, x.shape, 'float32');
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
    this.float(op, a, b);
    return this.push(
      { kind: 'binary', op, a: a.id, b: b.id },
      broadcastShapes(op, a.shape, b.shape),
      'float32',
    );
  }

  compare(op: CompareOp, a: Tensor, b: Tensor): Tensor {
    if (a.dtype !== b.dtype) throw new ShapeError(op, [a.shape, b.shape], `dtypes ${a.dtype} and ${b.dtype}`);
    return this.push(
      { kind: 'compare', op, a: a.id, b: b.id },
      broadcastShapes(op, a.shape, b.shape),
      'bool',
    );
  }

  where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
    if (cond.dtype !== 'bool') throw new ShapeError('where', [cond.shape], `condition must be bool`);
    this.float('where', a, b);
    const shape = broadcastShapes('where', cond.shape, broadcastShapes('where', a.shape, b.shape));
    return this.push({ kind: 'where', cond: cond.id, a: a.id, b: b.id }, shape, 'float32');
  }

  cast(x: Tensor, to: DType): Tensor {
    return this.push({ kind: 'cast', x: x.id }, x.shape, to);
  }

  stopGrad(x: Tensor): Tensor {
    return this.push({ kind: 'stopGrad', x: x.id }, x.shape, x.dtype);
  }

  neg = (x: Tensor) => this.unary('neg', x);
  exp = (x: Tensor) => this.unary('exp', x);
  log = (x: Tensor) => this.unary('log', x);
  sqrt = (x: Tensor) => this.unary('sqrt', x);
  tanh = (x: Tensor) => this.unary('tanh', x);
  sigmoid = (x: Tensor) => this.unary('sigmoid', x);
  cos = (x: Tensor) => this.unary('cos', x);

  /** Binary ops accept a number for either side (a float32 scalar constant). */
  private lift(t: Tensor | number): Tensor {
    return typeof t === 'number' ? this.scalar(t) : t;
  }
  add = (a: Tensor | number, b: Tensor | number) => this.binary('add', this.lift(a), this.lift(b));
  sub = (a: Tensor | number, b: Tensor | number) => this.binary('sub', this.lift(a), this.lift(b));
  mul = (a: Tensor | number, b: Tensor | number) => this.binary('mul', this.lift(a), this.lift(b));
  div = (a: Tensor | number, b: Tensor | number) => this.binary('div', this.lift(a), this.lift(b));
  pow = (a: Tensor | number, b: Tensor | number) => this.binary('pow', this.lift(a), this.lift(b));
  max = (a: Tensor | number, b: Tensor | number) => this.binary('max', this.lift(a), this.lift(b));
  min = (a: Tensor | number, b: Tensor | number) => this.binary('min', this.lift(a), this.lift(b));

  // ---- matmul and reductions ----

  /** Batched matmul with numpy broadcasting of the leading dims; both operands at least 2-D. */
  matmul(a: Tensor, b: Tensor): Tensor {
    this.float('matmul', a, b);
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new ShapeError('matmul', [a.shape, b.shape], 'operands must be at least 2-D');
    }
    const [m, k] = a.shape.slice(-2) as [number, number];
    const [k2, n] = b.shape.slice(-2) as [number, number];
    if (k !== k2) throw new ShapeError('matmul', [a.shape, b.shape], `inner dims ${k} != ${k2}`);
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    return this.push({ kind: 'matmul', a: a.id, b: b.id }, [...batch, m, n], 'float32');
  }

  reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims = false): Tensor {
    this.float(`reduce_${op}`, x);
    const norm = [...new Set(axes.map((a) => normAxis(`reduce_${op}`, a, x.shape.length, x.shape)))].sort();
    const shape = keepDims
      ? x.shape.map((d, i) => (norm.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !norm.includes(i));
    return this.push({ kind: 'reduce', op, x: x.id, axes: norm, keepDims }, shape, 'float32');
  }

  sum = (x: Tensor, axes: readonly number[], keepDims = false) => this.reduce('sum', x, axes, keepDims);
  reduceMax = (x: Tensor, axes: readonly number[], keepDims = false) => this.reduce('max', x, axes, keepDims);

  softmax(x: Tensor, axis = -1): Tensor {
    this.float('softmax', x);
    const a = normAxis('softmax', axis, x.shape.length, x.shape);
    return this.push({ kind: 'softmax', x: x.id, axis: a }, x.shape, 'float32');
  }

  // ---- movement ----

  /** Reshape to `shape`; one entry may be -1 (inferred). */
  reshape(x: Tensor, shape: Shape): Tensor {
    const known = shape.filter((d) => d !== -1);
    const free = shape.length - known.length;
    const total = sizeOf(x.shape);
    const rest = sizeOf(known);
    const resolved = shape.map((d) => (d === -1 ? total / rest : d));
    const ok =
      free <= 1 && known.every((d) => d >= 1 && Number.isInteger(d)) && resolved.every(Number.isInteger);
    if (!ok || sizeOf(resolved) !== total) {
      throw new ShapeError(
        'reshape',
        [x.shape, shape],
        `cannot reshape ${total} elements to ${formatShape(shape)}`,
      );
    }
    return this.push({ kind: 'reshape', x: x.id }, resolved, x.dtype);
  }

  transpose(x: Tensor, perm: readonly number[]): Tensor {
    const rank = x.shape.length;
    const sorted = [...perm].sort((p, q) => p - q);
    if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
      throw new ShapeError('transpose', [x.shape], `bad permutation [${perm.join(', ')}]`);
    }
    return this.push(
      { kind: 'transpose', x: x.id, perm: [...perm] },
      perm.map((p) => x.shape[p]!),
      x.dtype,
    );
  }

  /** Broadcast `x` to `shape` (numpy rules; the result must be exactly `shape`). */
  expand(x: Tensor, shape: Shape): Tensor {
    const out = broadcastShapes('expand', x.shape, shape);
    if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
      throw new ShapeError('expand', [x.shape, shape], 'target is not a broadcast of the input');
    }
    return this.push({ kind: 'expand', x: x.id }, shape, x.dtype);
  }

  concat(xs: readonly Tensor[], axis: number): Tensor {
    const first = xs[0];
    if (!first) throw new UsageError('concat: no inputs');
    const rank = first.shape.length;
    const a = normAxis('concat', axis, rank, first.shape);
    for (const t of xs) {
      const same = t.shape.length === rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
      if (!same || t.dtype !== first.dtype) {
        throw new ShapeError(
          'concat',
          xs.map((u) => u.shape),
          `shapes differ off axis ${a}`,
        );
      }
    }
    const shape = first.shape.map((d, i) => (i === a ? xs.reduce((s, t) => s + t.shape[a]!, 0) : d));
    return this.push({ kind: 'concat', xs: xs.map((t) => t.id), axis: a }, shape, first.dtype);
  }

  /** Elements [start, end) along `axis`. */
  slice(x: Tensor, axis: number, start: number, end: number): Tensor {
    const a = normAxis('slice', axis, x.shape.length, x.shape);
    const dim = x.shape[a]!;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= dim)) {
      throw new ShapeError('slice', [x.shape], `range [${start}, ${end}) out of dim ${dim} on axis ${a}`);
    }
    const shape = x.shape.map((d, i) => (i === a ? end - start : d));
    return this.push({ kind: 'slice', x: x.id, axis: a, start, end }, shape, x.dtype);
  }

  // ---- int8 ----

  /** Symmetric int8 quantisation of float32 `x` by `scale`: a scalar, or one per index of `axis`. */
  quantize(x: Tensor, scale: Tensor, axis = 0): Tensor {
    this.float('quantize', x);
    return this.push(
      { kind: 'quantize', x: x.id, scale: scale.id, axis: this.scaleAxis('quantize', x, scale, axis) },
      x.shape,
      'int8',
    );
  }

  /** int8 `q` back to float32: q * scale (a scalar, or one per index of `axis`). */
  dequantize(q: Tensor, scale: Tensor, axis = 0): Tensor {
    if (q.dtype !== 'int8') throw new ShapeError('dequantize', [q.shape], `needs int8, got ${q.dtype}`);
    return this.push(
      { kind: 'dequantize', x: q.id, scale: scale.id, axis: this.scaleAxis('dequantize', q, scale, axis) },
      q.shape,
      'float32',
    );
  }

  private scaleAxis(op: string, x: Tensor, scale: Tensor, axis: number): number {
    this.float(op, scale);
    const a = normAxis(op, axis, x.shape.length, x.shape);
    const ok = scale.shape.length === 0 || (scale.shape.length === 1 && scale.shape[0] === x.shape[a]);
    if (!ok)
      throw new ShapeError(
        op,
        [x.shape, scale.shape],
        `scale must be a scalar or (${x.shape[a]}) on axis ${a}`,
      );
    return a;
  }

  /** Rows of `table` (V, ...) picked by int64 `indices` of any shape: (...indices, ...rest). */
  gather(table: Tensor, indices: Tensor): Tensor {
    this.float('gather', table);
    if (indices.dtype !== 'int64') throw new ShapeError('gather', [indices.shape], 'indices must be int64');
    if (table.shape.length < 1) throw new ShapeError('gather', [table.shape], 'table must be at least 1-D');
    const shape = [...indices.shape, ...table.shape.slice(1)];
    return this.push({ kind: 'gather', table: table.id, indices: indices.id }, shape, 'float32');
  }
}

/** Ids of the nodes the given roots depend on (themselves included), in topological (id) order. */
export function reachable(g: Graph, roots: readonly Tensor[]): number[] {
  const seen = new Uint8Array(g.nodes.length);
  const stack = roots.map((t) => t.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen[id]) continue;
    seen[id] = 1;
    for (const i of nodeInputs(g.nodes[id]!)) stack.push(i);
  }
  const ids: number[] = [];
  seen.forEach((s, id) => {
    if (s) ids.push(id);
  });
  return ids;
}
