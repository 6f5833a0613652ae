// A synchronous onnxruntime engine: the session lives in a worker thread and each run blocks on Atomics.wait,
// because the simulator's Driver.act is synchronous. Not the async engine (session.ts), which training uses.

import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { UsageError } from '../core/errors.js';
import { checkFeeds, type Engine, type Feeds, type HostTensor } from './engine.js';
import type { Graph } from './graph.js';
import { signatureOf, toOnnx } from './onnx.js';
import type { DType, Shape } from './types.js';

// Plain JavaScript so the worker needs no TypeScript loader; it only holds the session and answers runs.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
let session;
function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
port.on('message', async (req) => {
  try {
    if (req.kind === 'load') {
      session = await ort.InferenceSession.create(req.bytes, {
        intraOpNumThreads: req.threads, interOpNumThreads: 1,
        executionMode: 'sequential', graphOptimizationLevel: 'all',
      });
      reply({ ok: true });
      return;
    }
    const feeds = {};
    for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(t.dtype, t.data, t.shape);
    const out = await session.run(feeds);
    const result = {};
    for (const [name, t] of Object.entries(out)) {
      result[name] = { dtype: t.type, shape: Array.from(t.dims, Number), data: t.data };
    }
    reply({ ok: true, result });
  } catch (error) {
    reply({ ok: false, error: String((error && error.stack) || error) });
  }
});
`;

type Reply = { ok: true; result?: Record<string, HostTensor> } | { ok: false; error: string };

let live = 0; // engines whose worker thread has not exited yet

/** How many SyncOrtEngine worker threads are running: what a leak check (a test, a long fleet run) reads. */
export function liveSyncEngines(): number {
  return live;
}

export class SyncOrtEngine implements Engine {
  readonly kind = 'onnxruntime-sync';
  private disposed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
    private readonly inputs: ReadonlyMap<string, { shape: Shape; dtype: DType }>, // the graph's, minus weights
  ) {}

  /** Compiles `g` with the inputs in `weights` baked in as initializers; blocks until the session is ready. */
  static create(g: Graph, weights: ReadonlyMap<string, HostTensor> = new Map(), threads = 2): SyncOrtEngine {
    const inputs = signatureOf(g).inputs.filter((i) => !weights.has(i.name));
    return SyncOrtEngine.fromBytes(toOnnx(g, weights), inputs, threads);
  }

  /** Loads ONNX model bytes whose graph inputs are `inputs` (a vehicle file); blocks until the session is ready. */
  static fromBytes(
    bytes: Uint8Array,
    inputs: readonly { name: string; shape: Shape; dtype: DType }[],
    threads = 2,
  ): SyncOrtEngine {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ortPath, flag: flag.buffer, port: port2 },
      transferList: [port2],
    });
    live++;
    worker.once('exit', () => live--);
    worker.unref();
    port1.unref();
    const engine = new SyncOrtEngine(worker, port1, flag, new Map(inputs.map((i) => [i.name, i])));
    engine.call({ kind: 'load', bytes, threads });
    return engine;
  }

  private call(request: object): Record<string, HostTensor> {
    if (this.disposed) throw new UsageError('onnxruntime worker: run after dispose()');
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    Atomics.wait(this.flag, 0, 0);
    let message = receiveMessageOnPort(this.port);
    while (!message) message = receiveMessageOnPort(this.port); // posted before the flag was set: due at once
    const reply = message.message as Reply;
    if (!reply.ok) throw new UsageError(`onnxruntime worker: ${reply.error}`);
    return reply.result ?? {};
  }

  /** One run; blocks the calling thread until the outputs are back. */
  runSync(feeds: Feeds): Record<string, HostTensor> {
    checkFeeds(this.inputs, feeds);
    return this.call({ kind: 'run', feeds });
  }

  /** The Engine interface over runSync: outputs named in `into` are copied into those tensors. */
  async run(feeds: Feeds, into?: Feeds): Promise<Record<string, HostTensor>> {
    const out = this.runSync(feeds);
    for (const [name, t] of Object.entries(into ?? {})) {
      (t.data as Float32Array).set(out[name]!.data as Float32Array);
      out[name] = t;
    }
    return out;
  }

  /** Ends the worker thread (and its session); resolves once the thread has exited. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.port.close();
    await this.worker.terminate();
  }
}
