// The engine's data model: dtypes, static shapes, and the closed set of primitive nodes a graph is made of.
// Not the builder (graph.ts checks shapes and makes nodes) and not any way to run a node.

export type DType = 'float32' | 'int64' | 'int32' | 'bool' | 'int8';
export type Shape = readonly number[];

/** A value in a graph: the output of node `id`. Shapes are static and checked when the node is built. */
export interface Tensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'cos';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min';
export type CompareOp = 'equal' | 'less';
export type ReduceOp = 'sum' | 'max';

/** Host-side data of a constant or a fed value, in the typed array its dtype asks for. */
export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** Every primitive; composites (norms, cross-entropy, attention) are built from these in nn.ts. */
export type Node =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'const'; readonly data: TensorData }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly x: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: number; readonly b: number }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly a: number; readonly b: number }
  | { readonly kind: 'where'; readonly cond: number; readonly a: number; readonly b: number }
  | { readonly kind: 'matmul'; readonly a: number; readonly b: number }
  | {
      readonly kind: 'reduce';
      readonly op: ReduceOp;
      readonly x: number;
      readonly axes: readonly number[];
      readonly keepDims: boolean;
    }
  | { readonly kind: 'softmax'; readonly x: number; readonly axis: number }
  | { readonly kind: 'reshape'; readonly x: number }
  | { readonly kind: 'transpose'; readonly x: number; readonly perm: readonly number[] }
  | { readonly kind: 'expand'; readonly x: number }
  | { readonly kind: 'concat'; readonly xs: readonly number[]; readonly axis: number }
  | {
      readonly kind: 'slice';
      readonly x: number;
      readonly axis: number;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'gather'; readonly table: number; readonly indices: number }
  | { readonly kind: 'cast'; readonly x: number }
  // int8 quantisation (symmetric, zero point 0): q = saturate(round_half_even(x / scale)), x~ = q * scale; `scale`
  // is a float32 scalar (per tensor) or a vector along `axis` (per channel)
  | { readonly kind: 'quantize'; readonly x: number; readonly scale: number; readonly axis: number }
  | { readonly kind: 'dequantize'; readonly x: number; readonly scale: number; readonly axis: number }
  | { readonly kind: 'stopGrad'; readonly x: number };

/** A node with the tensor it produces (shape and dtype). */
export type GraphNode = Node & { readonly shape: Shape; readonly dtype: DType };

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')})`;
}

/** The ids of the tensors a node reads. */
export function nodeInputs(node: Node): readonly number[] {
  switch (node.kind) {
    case 'input':
    case 'const':
      return [];
    case 'unary':
    case 'reduce':
    case 'softmax':
    case 'reshape':
    case 'transpose':
    case 'expand':
    case 'slice':
    case 'cast':
    case 'stopGrad':
      return [node.x];
    case 'binary':
    case 'compare':
    case 'matmul':
      return [node.a, node.b];
    case 'quantize':
    case 'dequantize':
      return [node.x, node.scale];
    case 'where':
      return [node.cond, node.a, node.b];
    case 'concat':
      return node.xs;
    case 'gather':
      return [node.table, node.indices];
  }
}
