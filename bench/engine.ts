// Engine benchmark: training throughput of the reference transformer (d128, 4L, 4H, T64, B16, V512) on
// onnxruntime, against a 1024^3 fp32 matmul in the same run. Prints one JSON line. Not a correctness test.
//
// The machine is shared, so timing runs in windows, each followed by the matmul probe under the same load:
// the medians are reported, plus each window's own achieved/peak ratio.

import { Rng } from '../src/core/rng.js';
import type { Engine, Feeds } from '../src/engine/engine.js';
import { i64 } from '../src/engine/engine.js';
import { Graph, reachable } from '../src/engine/graph.js';
import { DEFAULT_ADAMW } from '../src/engine/optim.js';
import { createOrtEngine } from '../src/engine/session.js';
import { Trainer } from '../src/engine/trainer.js';
import type { Tensor } from '../src/engine/types.js';
import { languageModelLoss, REFERENCE_CONFIG } from '../src/model/transformer.js';

const BATCH = 16;
const SEQ = 64;
const THREADS = 2;
const WARMUP_STEPS = 5;
const WINDOWS = 7;
const WINDOW_STEPS = 15;
const MATMUL_N = 1024;
const MATMUL_REPEATS = 4; // per window; the fastest counts

/** FLOPs of the matmuls `loss` depends on (2 * M * K * N per product, times the batch). */
function forwardMatmulFlops(g: Graph, loss: Tensor): number {
  let flops = 0;
  for (const id of reachable(g, [loss])) {
    const n = g.nodes[id]!;
    if (n.kind !== 'matmul') continue;
    const k = g.nodes[n.a]!.shape.at(-1)!;
    flops += 2 * k * n.shape.reduce((a, b) => a * b, 1);
  }
  return flops;
}

async function matmulProbe(): Promise<{ engine: Engine; feeds: Feeds }> {
  const g = new Graph();
  g.output('c', g.matmul(g.input('a', [MATMUL_N, MATMUL_N]), g.input('b', [MATMUL_N, MATMUL_N])));
  const rng = new Rng(1);
  const data = () => Float32Array.from({ length: MATMUL_N * MATMUL_N }, () => rng.uniform(-1, 1));
  const shape = [MATMUL_N, MATMUL_N];
  const feeds = {
    a: { dtype: 'float32', shape, data: data() },
    b: { dtype: 'float32', shape, data: data() },
  } as const;
  return { engine: await createOrtEngine(g, { threads: THREADS }), feeds };
}

async function timeIt(run: () => Promise<unknown>, repeats: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best; // [s]
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const cfg = REFERENCE_CONFIG;
  const forward = new Graph();
  const fwdFlops = forwardMatmulFlops(forward, languageModelLoss(forward, cfg, BATCH, SEQ));
  const trainer = await Trainer.create({
    build: (g) => languageModelLoss(g, cfg, BATCH, SEQ),
    optim: DEFAULT_ADAMW,
    seed: 0,
    threads: THREADS,
  });
  const probe = await matmulProbe();
  const rng = new Rng(2);
  const batches = Array.from({ length: 8 }, () => {
    const tokens = Array.from({ length: BATCH * SEQ }, () => rng.int(cfg.vocab));
    const next = tokens.map((t) => (t + 1) % cfg.vocab); // a learnable toy mapping
    return { tokens: i64([BATCH, SEQ], tokens), targets: i64([BATCH, SEQ], next) };
  });
  let step = 0;
  let loss = 0;
  const train = async () => {
    loss = (await trainer.trainStep(batches[step++ % batches.length]!)).loss;
  };
  for (let i = 0; i < WARMUP_STEPS; i++) await train();
  const firstLoss = loss;
  await probe.engine.run(probe.feeds);
  const stepSeconds: number[] = [];
  const peaks: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const t0 = performance.now();
    for (let i = 0; i < WINDOW_STEPS; i++) await train();
    stepSeconds.push((performance.now() - t0) / 1000 / WINDOW_STEPS);
    const matmulSeconds = await timeIt(() => probe.engine.run(probe.feeds), MATMUL_REPEATS);
    peaks.push((2 * MATMUL_N ** 3) / matmulSeconds / 1e9);
  }
  await Promise.all([trainer.dispose(), probe.engine.dispose()]);
  const achieved = stepSeconds.map((s) => (3 * fwdFlops) / s / 1e9); // [GFLOP/s] per window
  const result = {
    model: 'transformer d128 L4 H4 T64 B16 V512',
    threads: THREADS,
    steps: WINDOWS * WINDOW_STEPS,
    ms_per_step: +(median(stepSeconds) * 1000).toFixed(2),
    train_tokens_per_s: Math.round((BATCH * SEQ) / median(stepSeconds)),
    train_tokens_per_s_best_window: Math.round((BATCH * SEQ) / Math.min(...stepSeconds)),
    forward_gflop_per_step: +(fwdFlops / 1e9).toFixed(3),
    achieved_gflops: +median(achieved).toFixed(1),
    matmul_gflops: +median(peaks).toFixed(1),
    achieved_over_peak: +median(achieved.map((a, i) => a / peaks[i]!)).toFixed(3),
    loss_first: +firstLoss.toFixed(3),
    loss_last: +loss.toFixed(3),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
