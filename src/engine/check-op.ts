// The one test helper for ops, and the engines' conformance test: checks an op's gradient against float64 finite
// differences in the reference interpreter, and every other engine's outputs against the reference's. Not a bench.

import { Rng } from '../core/rng.js';
import { gradients } from './autodiff.js';
import type { Engine, HostTensor } from './engine.js';
import { Graph } from './graph.js';
import { createReferenceEngine, evaluate, fromFloat64 } from './reference.js';
import { createOrtEngine } from './session.js';
import { SyncOrtEngine } from './sync-engine.js';
import { type DType, type Shape, sizeOf, type Tensor } from './types.js';

export interface InputSpec {
  readonly shape: Shape;
  readonly dtype?: DType; // default float32
  readonly range?: readonly [number, number]; // uniform range (ints: [lo, hi] inclusive); default [-1, 1]
  readonly values?: readonly number[];
}

type Build = (g: Graph, xs: Tensor[]) => Tensor;

const FD_STEP = 1e-5;
const FD_TOL = { abs: 1e-6, rel: 1e-5 }; // float64 central differences
const ORT_TOL = { abs: 1e-4, rel: 1e-3 }; // fp32 onnxruntime vs fp32-rounded reference

function near(a: number, b: number, tol: { abs: number; rel: number }): boolean {
  return Math.abs(a - b) <= tol.abs + tol.rel * Math.max(Math.abs(a), Math.abs(b));
}

function makeInputs(specs: readonly InputSpec[], rng: Rng): Float64Array[] {
  return specs.map((s) => {
    if (s.values) return Float64Array.from(s.values);
    const [lo, hi] = s.range ?? [-1, 1];
    const isInt = (s.dtype ?? 'float32') !== 'float32';
    // floats are drawn on the fp32 grid so both engines see exactly the same numbers
    return Float64Array.from({ length: sizeOf(s.shape) }, () =>
      isInt ? lo + rng.int(hi - lo + 1) : Math.fround(rng.uniform(lo, hi)),
    );
  });
}

/** Builds x -> build(x), the weighted-sum loss L, and (if `withGrads`) dL/dx for each float input. */
function buildChecked(
  build: Build,
  specs: readonly InputSpec[],
  weights: Float64Array | undefined,
  withGrads: boolean,
) {
  const g = new Graph();
  const xs = specs.map((s, i) => g.input(`x${i}`, s.shape, s.dtype ?? 'float32'));
  const y = build(g, xs);
  g.output('y', y);
  if (y.dtype !== 'float32' || !weights) return { g, y };
  const loss = g.sum(
    g.mul(y, g.constant(Float32Array.from(weights), y.shape)),
    y.shape.map((_, i) => i),
  );
  g.output('loss', loss);
  if (withGrads) {
    const floats = xs.filter((x) => x.dtype === 'float32');
    gradients(g, loss, floats).forEach((gx, i) => {
      g.output(`d${xs.indexOf(floats[i]!)}`, gx);
    });
  }
  return { g, y };
}

function compare(
  what: string,
  got: ArrayLike<number | bigint>,
  want: ArrayLike<number | bigint>,
  tol: typeof FD_TOL,
) {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, expected ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const [a, b] = [Number(got[i]), Number(want[i])];
    if (!near(a, b, tol)) throw new Error(`${what}[${i}]: got ${a}, expected ${b}`);
  }
}

/**
 * Checks one op (or composite) end to end; throws an Error naming the first mismatch. `build` receives one
 * graph input per spec (named x0, x1, ...) and returns the tensor to check.
 */
export async function checkOp(build: Build, specs: readonly InputSpec[], seed = 1): Promise<void> {
  const rng = new Rng(seed);
  const inputs = makeInputs(specs, rng);
  const probe = buildChecked(build, specs, undefined, false);
  const weights =
    probe.y.dtype === 'float32'
      ? Float64Array.from({ length: sizeOf(probe.y.shape) }, () => Math.fround(rng.uniform(-1, 1)))
      : undefined;
  const { g } = buildChecked(build, specs, weights, true);
  const feedMap = new Map(inputs.map((x, i) => [`x${i}`, x]));

  // 1. analytic gradients vs float64 central differences
  if (weights) {
    const forward = buildChecked(build, specs, weights, false).g;
    const lossAt = (m: Map<string, Float64Array>) =>
      evaluate(forward, m).get(forward.outputs.get('loss')!.id)![0]!;
    const values = evaluate(g, feedMap);
    specs.forEach((s, i) => {
      if ((s.dtype ?? 'float32') !== 'float32') return;
      const analytic = values.get(g.outputs.get(`d${i}`)!.id)!;
      const fd = inputs[i]!.map((v, j) => {
        const plus = Float64Array.from(inputs[i]!);
        const minus = Float64Array.from(inputs[i]!);
        plus[j] = v + FD_STEP;
        minus[j] = v - FD_STEP;
        const at = (x: Float64Array) => lossAt(new Map([...feedMap, [`x${i}`, x]]));
        return (at(plus) - at(minus)) / (2 * FD_STEP);
      });
      compare(`gradient of x${i} vs finite differences`, analytic, fd, FD_TOL);
    });
  }

  // 2. every engine agrees with the reference on every output (forward and gradients)
  const feeds: Record<string, HostTensor> = {};
  specs.forEach((s, i) => {
    feeds[`x${i}`] = fromFloat64(s.dtype ?? 'float32', s.shape, inputs[i]!);
  });
  const engines: Engine[] = [
    createReferenceEngine(g),
    await createOrtEngine(g, { threads: 1 }),
    SyncOrtEngine.create(g, new Map(), 1),
  ];
  const [want, ...others] = await Promise.all(engines.map((e) => e.run(feeds)));
  await Promise.all(engines.map((e) => e.dispose()));
  others.forEach((got, k) => {
    const kind = engines[k + 1]!.kind;
    for (const name of g.outputs.keys()) {
      const [w, o] = [want![name]!, got[name]!];
      if (w.shape.join() !== o.shape.join())
        throw new Error(`${name}: ${kind} shape (${o.shape}) vs (${w.shape})`);
      compare(`${kind} output ${name}`, o.data, w.data, ORT_TOL);
    }
  });
}
