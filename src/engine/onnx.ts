// Serialises a graph to ONNX (opset 17, the nodes reachable from its outputs) and checks an ONNX file's signature.
// Not an ONNX importer: reading back stops at the inputs/outputs a caller needs to refuse a wrong graph.

import { InputError } from '../core/errors.js';
import type { HostTensor } from './engine.js';
import { type Graph, reachable } from './graph.js';
import {
  ATTR_INT,
  ATTR_INTS,
  type ModelJson,
  ModelProto,
  ONNX_DTYPE,
  type ValueInfoJson,
} from './onnx-schema.js';
import { type DType, formatShape, type GraphNode, type Shape, sizeOf, type TensorData } from './types.js';

export const OPSET = 17;
const IR_VERSION = 8; // the IR version that goes with opset 17

/** The names, dtypes and shapes of a graph's inputs and outputs, in order. */
export interface Signature {
  readonly inputs: readonly { name: string; dtype: DType; shape: Shape }[];
  readonly outputs: readonly { name: string; dtype: DType; shape: Shape }[];
}

export function signatureOf(g: Graph): Signature {
  const list = (m: ReadonlyMap<string, { dtype: DType; shape: Shape }>) =>
    [...m].map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] }));
  return { inputs: list(g.inputs), outputs: list(g.outputs) };
}

const UNARY_OP = {
  neg: 'Neg',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  cos: 'Cos',
};
const BINARY_OP = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', max: 'Max', min: 'Min' };
const COMPARE_OP = { equal: 'Equal', less: 'Less' };

const intAttr = (name: string, i: number) => ({ name, type: ATTR_INT, i });
const intsAttr = (name: string, ints: readonly number[]) => ({ name, type: ATTR_INTS, ints: [...ints] });

function rawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // typed arrays are little-endian here
}

function valueInfo(name: string, dtype: DType, shape: Shape) {
  const dim = shape.map((d) => ({ dim_value: d }));
  return { name, type: { tensor_type: { elem_type: ONNX_DTYPE[dtype], shape: { dim } } } };
}

/**
 * Builds the ONNX ModelProto bytes for the part of `g` its outputs need. Inputs named in `weights` are baked in
 * as initializers (a self-contained inference model); the others stay graph inputs. `metadata` goes to the
 * model's metadata_props (what onnxruntime's session.handler.metadata.customMetadataMap shows).
 */
export function toOnnx(
  g: Graph,
  weights: ReadonlyMap<string, HostTensor> = new Map(),
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const nodes: object[] = [];
  const initializers: object[] = [];
  // a computed tensor is named after the first graph output it is (no Identity copy); the rest get an Identity
  const outputOf = new Map<number, string>();
  for (const [outName, t] of g.outputs) {
    const kind = g.nodes[t.id]!.kind;
    if (kind !== 'input' && kind !== 'const' && !outputOf.has(t.id)) outputOf.set(t.id, outName);
  }
  const name = (id: number): string => {
    const n = g.nodes[id]!;
    return n.kind === 'input' ? n.name : (outputOf.get(id) ?? `_${id}`);
  };
  const ints = (key: string, values: readonly number[]): string => {
    const tensorName = `_${key}`;
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    initializers.push({
      name: tensorName,
      dims: [values.length],
      data_type: ONNX_DTYPE.int64,
      raw_data: rawBytes(data),
    });
    return tensorName;
  };
  const emit = (id: number, op_type: string, input: string[], attribute: object[] = []) =>
    nodes.push({ op_type, input, output: [name(id)], name: `${op_type}_${id}`, attribute });

  for (const id of reachable(g, [...g.outputs.values()])) {
    const n: GraphNode = g.nodes[id]!;
    switch (n.kind) {
      case 'input': {
        const w = weights.get(n.name);
        if (w)
          initializers.push({
            name: n.name,
            dims: [...n.shape],
            data_type: ONNX_DTYPE[n.dtype],
            raw_data: rawBytes(w.data),
          });
        break;
      }
      case 'const':
        initializers.push({
          name: name(id),
          dims: [...n.shape],
          data_type: ONNX_DTYPE[n.dtype],
          raw_data: rawBytes(n.data),
        });
        break;
      case 'unary':
        emit(id, UNARY_OP[n.op], [name(n.x)]);
        break;
      case 'binary':
        emit(id, BINARY_OP[n.op], [name(n.a), name(n.b)]);
        break;
      case 'compare':
        emit(id, COMPARE_OP[n.op], [name(n.a), name(n.b)]);
        break;
      case 'where':
        emit(id, 'Where', [name(n.cond), name(n.a), name(n.b)]);
        break;
      case 'matmul':
        emit(id, 'MatMul', [name(n.a), name(n.b)]);
        break;
      case 'reduce':
        if (n.op === 'sum')
          emit(id, 'ReduceSum', [name(n.x), ints(`${id}_axes`, n.axes)], [intAttr('keepdims', +n.keepDims)]);
        else emit(id, 'ReduceMax', [name(n.x)], [intsAttr('axes', n.axes), intAttr('keepdims', +n.keepDims)]);
        break;
      case 'softmax':
        emit(id, 'Softmax', [name(n.x)], [intAttr('axis', n.axis)]);
        break;
      case 'reshape':
        emit(id, 'Reshape', [name(n.x), ints(`${id}_shape`, n.shape)]);
        break;
      case 'transpose':
        emit(id, 'Transpose', [name(n.x)], [intsAttr('perm', n.perm)]);
        break;
      case 'expand':
        emit(id, 'Expand', [name(n.x), ints(`${id}_shape`, n.shape)]);
        break;
      case 'concat':
        emit(id, 'Concat', n.xs.map(name), [intAttr('axis', n.axis)]);
        break;
      case 'slice':
        emit(id, 'Slice', [
          name(n.x),
          ints(`${id}_s`, [n.start]),
          ints(`${id}_e`, [n.end]),
          ints(`${id}_a`, [n.axis]),
        ]);
        break;
      case 'gather':
        emit(id, 'Gather', [name(n.table), name(n.indices)], [intAttr('axis', 0)]);
        break;
      case 'cast':
        emit(id, 'Cast', [name(n.x)], [intAttr('to', ONNX_DTYPE[n.dtype])]);
        break;
      case 'stopGrad':
        emit(id, 'Identity', [name(n.x)]);
        break;
      case 'quantize':
      case 'dequantize': {
        // a zero point of int8 zeros makes QuantizeLinear's output int8 (without one it is uint8)
        const zeros = new Int8Array(sizeOf(g.nodes[n.scale]!.shape));
        const zp = `_${id}_zp`;
        initializers.push({
          name: zp,
          dims: [...g.nodes[n.scale]!.shape],
          data_type: ONNX_DTYPE.int8,
          raw_data: rawBytes(zeros),
        });
        const op = n.kind === 'quantize' ? 'QuantizeLinear' : 'DequantizeLinear';
        emit(id, op, [name(n.x), name(n.scale), zp], [intAttr('axis', n.axis)]);
        break;
      }
    }
  }
  const outputs = [...g.outputs].map(([outName, t]) => {
    if (name(t.id) !== outName) {
      nodes.push({ op_type: 'Identity', input: [name(t.id)], output: [outName], name: `out_${outName}` });
    }
    return valueInfo(outName, t.dtype, t.shape);
  });
  const model = {
    ir_version: IR_VERSION,
    producer_name: 'drivefm',
    opset_import: [{ domain: '', version: OPSET }],
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'drivefm',
      node: nodes,
      initializer: initializers,
      input: [...g.inputs].filter(([n]) => !weights.has(n)).map(([n, t]) => valueInfo(n, t.dtype, t.shape)),
      output: outputs,
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

const DTYPE_OF_CODE = new Map<number, DType>(Object.entries(ONNX_DTYPE).map(([k, v]) => [v, k as DType]));

function parseValue(v: ValueInfoJson, file: string, field: string) {
  const tt = v.type?.tensor_type;
  const dtype = DTYPE_OF_CODE.get(tt?.elem_type ?? -1);
  if (!tt || !dtype)
    throw new InputError({ file, field, message: `'${v.name}' is not a tensor of a known dtype` });
  return { name: v.name, dtype, shape: (tt.shape?.dim ?? []).map((d) => Number(d.dim_value ?? -1)) };
}

/** Decodes an ONNX file's signature and opset; refuses bytes that are not an ONNX model. */
export function readOnnxSignature(bytes: Uint8Array, file: string): Signature & { opset: number } {
  let model: ModelJson;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as ModelJson;
  } catch (cause) {
    throw new InputError({ file, message: `not an ONNX model (${(cause as Error).message})`, cause });
  }
  if (!model.graph) throw new InputError({ file, field: 'graph', message: 'ONNX model has no graph' });
  const opset = Number(model.opset_import?.find((o) => !o.domain)?.version ?? 0);
  return {
    opset,
    inputs: (model.graph.input ?? []).map((v) => parseValue(v, file, 'graph.input')),
    outputs: (model.graph.output ?? []).map((v) => parseValue(v, file, 'graph.output')),
  };
}

/** Throws an InputError naming the first difference between an ONNX file and the graph it should hold. */
export function checkOnnxSignature(bytes: Uint8Array, expected: Signature, file: string): void {
  const got = readOnnxSignature(bytes, file);
  if (got.opset !== OPSET)
    throw new InputError({ file, field: 'opset_import', message: `opset ${got.opset}, expected ${OPSET}` });
  for (const side of ['inputs', 'outputs'] as const) {
    const want = expected[side];
    const have = got[side];
    const describe = (v: { name: string; dtype: DType; shape: Shape } | undefined) =>
      v ? `'${v.name}' ${v.dtype}${formatShape(v.shape)}` : 'nothing';
    for (let i = 0; i < Math.max(want.length, have.length); i++) {
      const w = want[i];
      const h = have[i];
      const same =
        w &&
        h &&
        w.name === h.name &&
        w.dtype === h.dtype &&
        w.shape.length === h.shape.length &&
        w.shape.every((d, j) => d === h.shape[j]);
      if (!same) {
        throw new InputError({
          file,
          field: `graph.${side.slice(0, -1)}[${i}]`,
          message: `wrong graph: expected ${describe(w)}, found ${describe(h)}`,
        });
      }
    }
  }
}
