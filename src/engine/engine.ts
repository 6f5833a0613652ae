// The one interface every engine implements (reference.ts; session.ts and sync-engine.ts on onnxruntime-node).
// Not an implementation; also the host-tensor helpers the engines use to check and build feeds.

import { UsageError } from '../core/errors.js';
import { type DType, formatShape, type Shape, sizeOf, type TensorData } from './types.js';

/** A value on the host: dtype, static shape, and its data in the matching typed array. */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: TensorData;
}

export type Feeds = Readonly<Record<string, HostTensor>>;

/**
 * Runs one compiled graph: named inputs in, every named output of the graph out. Outputs named in `into` are
 * written into those preallocated tensors (which must not alias any feed) and returned as themselves.
 */
export interface Engine {
  readonly kind: 'reference' | 'onnxruntime' | 'onnxruntime-sync';
  run(feeds: Feeds, into?: Feeds): Promise<Record<string, HostTensor>>;
  dispose(): Promise<void>;
}

const ARRAY_OF: Record<DType, string> = {
  float32: 'Float32Array',
  int64: 'BigInt64Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
  int8: 'Int8Array',
};

export function hostTensor(dtype: DType, shape: Shape, data: TensorData): HostTensor {
  if (data.constructor.name !== ARRAY_OF[dtype]) {
    throw new UsageError(`${dtype} tensor needs a ${ARRAY_OF[dtype]}, got ${data.constructor.name}`);
  }
  if (data.length !== sizeOf(shape)) {
    throw new UsageError(`tensor ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`);
  }
  return { dtype, shape: [...shape], data };
}

export const f32 = (shape: Shape, values: ArrayLike<number>): HostTensor =>
  hostTensor('float32', shape, Float32Array.from(values));

export const i64 = (shape: Shape, values: ArrayLike<number>): HostTensor =>
  hostTensor('int64', shape, BigInt64Array.from(Array.from(values, (v) => BigInt(v))));

/** Checks that `feeds` has exactly the graph's inputs with their dtypes and shapes. */
export function checkFeeds(inputs: ReadonlyMap<string, { shape: Shape; dtype: DType }>, feeds: Feeds): void {
  for (const [name, spec] of inputs) {
    const fed = feeds[name];
    if (!fed) throw new UsageError(`missing input '${name}' ${spec.dtype}${formatShape(spec.shape)}`);
    const same = fed.shape.length === spec.shape.length && fed.shape.every((d, i) => d === spec.shape[i]);
    if (!same || fed.dtype !== spec.dtype) {
      throw new UsageError(
        `input '${name}': expected ${spec.dtype}${formatShape(spec.shape)}, got ${fed.dtype}${formatShape(fed.shape)}`,
      );
    }
  }
  for (const name of Object.keys(feeds)) {
    if (!inputs.has(name)) throw new UsageError(`unknown input '${name}'`);
  }
}
