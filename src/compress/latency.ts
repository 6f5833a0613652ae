// One-thread decision latency of car models (vehicle .onnx files, checkpoints driven by the policy's driver),
// measured side by side on the same frames in one run. Not a benchmark's JSON line (bench/), not correctness.

import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createOrtSession } from '../engine/session.js';
import type { ModelCheckpoint } from '../model/checkpoint.js';
import type { DriveMode } from '../model/prompt.js';
import { loadModelDriver } from '../policy/model-driver.js';
import { type CarFrame, vehicleFeeds } from './quantise.js';

const TIMING_ROUNDS = 3; // timed passes over the frames after one warm-up pass

/** A latency's median and 99th percentile [ms]. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/** p50 and p99 of times [ms]. */
export function latencyOf(times: readonly number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Something that decides on a frame: one vehicle-file run, or one driver plan. */
export interface Decider {
  decide(frame: CarFrame): Promise<unknown>;
  release(): Promise<void>;
}

/** A vehicle ONNX model (bytes) on one onnxruntime thread; `ckpt` lays out its feeds. */
export async function vehicleDecider(bytes: Uint8Array, ckpt: ModelCheckpoint): Promise<Decider> {
  const session = await createOrtSession(bytes, { threads: 1 });
  const feeds = new Map<CarFrame, Record<string, ort.Tensor>>(); // built once per frame, outside the timing
  return {
    decide: (f) => {
      let x = feeds.get(f);
      if (!x) {
        const host = Object.entries(vehicleFeeds(ckpt, f));
        x = Object.fromEntries(
          host.map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data as never, [...t.shape])]),
        );
        feeds.set(f, x);
      }
      return session.run(x);
    },
    release: () => session.release(),
  };
}

/** A checkpoint as the closed-loop driver plans with it (KV cache, `mode`), on one onnxruntime thread. */
export function driverDecider(checkpointDir: string, mode: DriveMode): Decider {
  const driver = loadModelDriver(checkpointDir, { mode, threads: 1, control: 'mode' });
  return {
    decide: async ({ frame, instruction }) => driver.plan(frame, instruction),
    release: () => driver.dispose(),
  };
}

/**
 * Each decider's latency over `frames`: after a warm-up pass they take turns frame by frame, so a load that comes
 * and goes on the machine hits them alike. Releases the deciders.
 */
export async function decisionMs(
  deciders: readonly Decider[],
  frames: readonly CarFrame[],
): Promise<Latency[]> {
  const times = deciders.map(() => [] as number[]);
  try {
    for (let round = 0; round <= TIMING_ROUNDS; round++) {
      for (const f of frames) {
        for (const [k, d] of deciders.entries()) {
          const t0 = performance.now();
          await d.decide(f);
          if (round > 0) times[k]!.push(performance.now() - t0);
        }
      }
    }
  } finally {
    await Promise.all(deciders.map((d) => d.release()));
  }
  return times.map(latencyOf);
}
