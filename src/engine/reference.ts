// The reference interpreter: a plain, slow, obviously-correct evaluator of a graph, the oracle for tests.
// Not for training anything real: float64 loops over index maps; onnxruntime (session.ts) is the fast path.

import { UsageError } from '../core/errors.js';
import { checkFeeds, type Engine, type Feeds, type HostTensor } from './engine.js';
import { type Graph, reachable } from './graph.js';
import { type DType, type GraphNode, type Shape, sizeOf } from './types.js';

type Values = Map<number, Float64Array>;

function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** For each element of `outShape`, the flat index of the element of `inShape` that broadcasts onto it. */
function indexMap(outShape: Shape, inShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  const map = new Int32Array(n);
  const extra = outShape.length - inShape.length;
  const inStrides = strides(inShape);
  const step = outShape.map((_, i) => (i < extra || inShape[i - extra] === 1 ? 0 : inStrides[i - extra]!));
  const idx = new Array<number>(outShape.length).fill(0);
  let at = 0;
  for (let k = 0; k < n; k++) {
    map[k] = at;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d]!++;
      at += step[d]!;
      if (idx[d]! < outShape[d]!) break;
      at -= step[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  cos: Math.cos,
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  max: Math.max,
  min: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
};

function mapBinary(
  out: Shape,
  sa: Shape,
  a: Float64Array,
  sb: Shape,
  b: Float64Array,
  f: (a: number, b: number) => number,
) {
  const ma = indexMap(out, sa);
  const mb = indexMap(out, sb);
  return Float64Array.from(ma, (ia, k) => f(a[ia]!, b[mb[k]!]!));
}

/** Rounds to the nearest integer, ties to even (ONNX QuantizeLinear's rounding). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function castTo(dtype: DType, x: Float64Array): Float64Array {
  if (dtype === 'bool') return x.map((v) => (v !== 0 ? 1 : 0));
  if (dtype === 'float32') return x;
  return x.map(Math.trunc);
}

function matmul(node: GraphNode, sa: Shape, a: Float64Array, sb: Shape, b: Float64Array): Float64Array {
  const [m, k] = sa.slice(-2) as [number, number];
  const n = sb[sb.length - 1]!;
  const batch = node.shape.slice(0, -2);
  const ma = indexMap(batch, sa.slice(0, -2));
  const mb = indexMap(batch, sb.slice(0, -2));
  const out = new Float64Array(sizeOf(node.shape));
  for (let bi = 0; bi < ma.length; bi++) {
    const ao = ma[bi]! * m * k;
    const bo = mb[bi]! * k * n;
    const oo = bi * m * n;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = a[ao + i * k + p]!;
        for (let j = 0; j < n; j++) out[oo + i * n + j]! += av * b[bo + p * n + j]!;
      }
    }
  }
  return out;
}

/** Reduces `x` onto `kept` (x's shape with reduced dims set to 1) with `f`, starting from `init`. */
function reduceTo(
  shape: Shape,
  kept: Shape,
  x: Float64Array,
  init: number,
  f: (acc: number, v: number) => number,
) {
  const map = indexMap(shape, kept);
  const out = new Float64Array(sizeOf(kept)).fill(init);
  map.forEach((o, i) => {
    out[o] = f(out[o]!, x[i]!);
  });
  return { out, map };
}

function evalNode(g: Graph, node: GraphNode, v: (id: number) => Float64Array): Float64Array {
  const shapeOf = (id: number) => g.nodes[id]!.shape;
  switch (node.kind) {
    case 'input':
      throw new UsageError(`input '${node.name}' was not fed`);
    case 'const':
      return Float64Array.from(node.data as ArrayLike<number | bigint>, Number);
    case 'unary':
      return v(node.x).map(UNARY[node.op]!);
    case 'binary':
    case 'compare':
      return mapBinary(node.shape, shapeOf(node.a), v(node.a), shapeOf(node.b), v(node.b), BINARY[node.op]!);
    case 'where': {
      const mc = indexMap(node.shape, shapeOf(node.cond));
      const ma = indexMap(node.shape, shapeOf(node.a));
      const mb = indexMap(node.shape, shapeOf(node.b));
      const [c, a, b] = [v(node.cond), v(node.a), v(node.b)];
      return Float64Array.from(mc, (ic, k) => (c[ic] ? a[ma[k]!]! : b[mb[k]!]!));
    }
    case 'matmul':
      return matmul(node, shapeOf(node.a), v(node.a), shapeOf(node.b), v(node.b));
    case 'reduce': {
      const shape = shapeOf(node.x);
      const kept = shape.map((d, i) => (node.axes.includes(i) ? 1 : d));
      const f = node.op === 'sum' ? (s: number, x: number) => s + x : Math.max;
      return reduceTo(shape, kept, v(node.x), node.op === 'sum' ? 0 : -Infinity, f).out;
    }
    case 'softmax': {
      const x = v(node.x);
      const kept = node.shape.map((d, i) => (i === node.axis ? 1 : d));
      const { out: top, map } = reduceTo(node.shape, kept, x, -Infinity, Math.max);
      const e = x.map((xi, i) => Math.exp(xi - top[map[i]!]!));
      const { out: total } = reduceTo(node.shape, kept, e, 0, (s, y) => s + y);
      return e.map((ei, i) => ei / total[map[i]!]!);
    }
    case 'reshape':
    case 'stopGrad':
      return v(node.x);
    case 'cast':
      return castTo(node.dtype, v(node.x));
    case 'expand': {
      const x = v(node.x);
      return Float64Array.from(indexMap(node.shape, shapeOf(node.x)), (i) => x[i]!);
    }
    case 'transpose': {
      const x = v(node.x);
      const inStrides = strides(shapeOf(node.x));
      const permuted = node.perm.map((p) => inStrides[p]!);
      const out = new Float64Array(x.length);
      const idx = new Array<number>(node.shape.length).fill(0);
      for (let k = 0; k < out.length; k++) {
        let at = 0;
        for (let d = 0; d < idx.length; d++) at += idx[d]! * permuted[d]!;
        out[k] = x[at]!;
        for (let d = idx.length - 1; d >= 0; d--) {
          if (++idx[d]! < node.shape[d]!) break;
          idx[d] = 0;
        }
      }
      return out;
    }
    case 'concat': {
      const outer = sizeOf(node.shape.slice(0, node.axis));
      const inner = sizeOf(node.shape.slice(node.axis + 1));
      const out = new Float64Array(sizeOf(node.shape));
      let offset = 0;
      for (const id of node.xs) {
        const x = v(id);
        const len = shapeOf(id)[node.axis]! * inner;
        for (let o = 0; o < outer; o++)
          out.set(x.subarray(o * len, (o + 1) * len), o * node.shape[node.axis]! * inner + offset);
        offset += len;
      }
      return out;
    }
    case 'slice': {
      const x = v(node.x);
      const shape = shapeOf(node.x);
      const outer = sizeOf(shape.slice(0, node.axis));
      const inner = sizeOf(shape.slice(node.axis + 1));
      const len = (node.end - node.start) * inner;
      const out = new Float64Array(outer * len);
      for (let o = 0; o < outer; o++) {
        const from = (o * shape[node.axis]! + node.start) * inner;
        out.set(x.subarray(from, from + len), o * len);
      }
      return out;
    }
    case 'quantize':
    case 'dequantize': {
      const x = v(node.x);
      const scale = v(node.scale);
      const inner = sizeOf(node.shape.slice(node.axis + 1));
      const at = (i: number) => (scale.length === 1 ? 0 : Math.floor(i / inner) % scale.length);
      if (node.kind === 'dequantize') return x.map((q, i) => q * scale[at(i)]!);
      return x.map((xi, i) => Math.min(127, Math.max(-128, roundHalfEven(xi / scale[at(i)]!))));
    }
    case 'gather': {
      const table = v(node.table);
      const tshape = shapeOf(node.table);
      const width = sizeOf(tshape.slice(1));
      const idx = v(node.indices);
      const out = new Float64Array(idx.length * width);
      idx.forEach((row, i) => {
        if (!(row >= 0 && row < tshape[0]!))
          throw new UsageError(`gather: index ${row} out of [0, ${tshape[0]})`);
        out.set(table.subarray(row * width, (row + 1) * width), i * width);
      });
      return out;
    }
  }
}

/**
 * Evaluates the named outputs from fed inputs, all as float64 (ints as exact doubles). With `roundToF32`,
 * every float result is rounded to float32 as an fp32 engine would; without, it is a float64 oracle.
 */
export function evaluate(g: Graph, feeds: ReadonlyMap<string, Float64Array>, roundToF32 = false): Values {
  const roots = [...g.outputs.values()];
  const values: Values = new Map();
  for (const id of reachable(g, roots)) {
    const node = g.nodes[id]!;
    let out: Float64Array;
    if (node.kind === 'input') {
      const fed = feeds.get(node.name);
      if (!fed) throw new UsageError(`input '${node.name}' was not fed`);
      out = fed;
    } else out = evalNode(g, node, (i) => values.get(i)!);
    values.set(id, roundToF32 && node.dtype === 'float32' ? Float64Array.from(new Float32Array(out)) : out);
  }
  return values;
}

export function toFloat64(t: HostTensor): Float64Array {
  return Float64Array.from(t.data as ArrayLike<number | bigint>, Number);
}

export function fromFloat64(dtype: DType, shape: Shape, x: Float64Array): HostTensor {
  switch (dtype) {
    case 'float32':
      return { dtype, shape, data: Float32Array.from(x) };
    case 'int64':
      return { dtype, shape, data: BigInt64Array.from(x, (n) => BigInt(n)) };
    case 'int32':
      return { dtype, shape, data: Int32Array.from(x) };
    case 'bool':
      return { dtype, shape, data: Uint8Array.from(x) };
    case 'int8':
      return { dtype, shape, data: Int8Array.from(x) };
  }
}

/** The reference engine: evaluate() behind the Engine interface, rounding like fp32. */
export function createReferenceEngine(g: Graph): Engine {
  return {
    kind: 'reference',
    async run(feeds: Feeds, into?: Feeds) {
      checkFeeds(g.inputs, feeds);
      const inputs = new Map(Object.entries(feeds).map(([k, t]) => [k, toFloat64(t)]));
      const values = evaluate(g, inputs, true);
      const out: Record<string, HostTensor> = {};
      for (const [name, t] of g.outputs) {
        const value = fromFloat64(t.dtype, t.shape, values.get(t.id)!);
        const target = into?.[name];
        if (target) (target.data as Float32Array).set(value.data as Float32Array);
        out[name] = target ?? value;
      }
      return out;
    },
    async dispose() {},
  };
}
