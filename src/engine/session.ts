// The onnxruntime-node engine: compiles a graph to ONNX once (or loads a checked ONNX file), runs it on the CPU.
// Not the training loop (trainer.ts) and not the oracle (reference.ts); host arrays are wrapped, never copied in.

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { InputError } from '../core/errors.js';
import { checkFeeds, type Engine, type Feeds, type HostTensor } from './engine.js';
import type { Graph } from './graph.js';
import { checkOnnxSignature, type Signature, signatureOf, toOnnx } from './onnx.js';
import type { DType, TensorData } from './types.js';

export interface SessionOptions {
  /** Intra-op threads for onnxruntime (default 2, the machine's cores). */
  readonly threads?: number;
}

/** Creates an onnxruntime session for the model bytes (graph optimisation 'all', sequential execution). */
export function createOrtSession(
  bytes: Uint8Array,
  options: SessionOptions = {},
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.threads ?? 2,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

function toOrt(t: HostTensor): ort.Tensor {
  return new ort.Tensor(t.dtype, t.data as never, [...t.shape]); // wraps the array, no copy;
}

function fromOrt(t: ort.Tensor, dtype: DType): HostTensor {
  return { dtype, shape: t.dims.map(Number), data: t.data as TensorData };
}

/** An Engine over a session whose inputs and outputs are `sig`. */
function engineOver(session: ort.InferenceSession, sig: Signature): Engine {
  const inputs = new Map(sig.inputs.map((i) => [i.name, i]));
  return {
    kind: 'onnxruntime',
    async run(feeds: Feeds, into?: Feeds) {
      checkFeeds(inputs, feeds);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
      // preallocated outputs: onnxruntime writes into them, so a training loop allocates nothing per step
      const fetches: Record<string, ort.Tensor | null> = {};
      for (const { name } of sig.outputs) fetches[name] = into?.[name] ? toOrt(into[name]) : null;
      const result = await session.run(ortFeeds, fetches);
      const out: Record<string, HostTensor> = {};
      for (const { name, dtype } of sig.outputs) out[name] = into?.[name] ?? fromOrt(result[name]!, dtype);
      return out;
    },
    dispose: () => session.release(),
  };
}

export async function createOrtEngine(g: Graph, options: SessionOptions = {}): Promise<Engine> {
  return engineOver(await createOrtSession(toOnnx(g), options), signatureOf(g));
}

/** Loads an ONNX file, refusing (InputError naming the file) one whose inputs/outputs are not `expected`. */
export async function createOrtEngineFromFile(
  file: string,
  expected: Signature,
  options: SessionOptions = {},
) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InputError({ file, message: 'cannot read file', cause });
  }
  checkOnnxSignature(bytes, expected, file);
  return engineOver(await createOrtSession(bytes, options), expected);
}
