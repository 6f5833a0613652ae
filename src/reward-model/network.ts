// The reward model's network on our engine: feature rows (B, T, F) embedded by one matmul, a few pre-norm blocks
// (model/transformer.ts's, causal, so the last token, the summary, sees every other), one output row (B, W) of
// every head; the training loss; and the inference model. Not the features (features.ts) nor training (train.ts).

import { UsageError } from '../core/errors.js';
import type { Engine, HostTensor } from '../engine/engine.js';
import { Graph } from '../engine/graph.js';
import { maskedMean } from '../engine/losses.js';
import { logSoftmax } from '../engine/nn.js';
import { createOrtEngine } from '../engine/session.js';
import { sizeOf, type Tensor } from '../engine/types.js';
import { blockContext, declareTransformer, decoder, type TransformerConfig } from '../model/transformer.js';
import { FEATURES, TOKENS } from './features.js';
import { HEAD_SLOTS, OUTPUT_WIDTH } from './heads.js';
import type { RewardModelSettings } from './settings.js';

// The input projection's init: feature rows are O(1) numbers over FEATURES columns, not unit-norm embeddings
const IN_STD = 0.2;

export type NetworkSize = Pick<RewardModelSettings, 'dModel' | 'layers' | 'heads' | 'ffnHidden'>;

/** The blocks' config; its `vocab` is the output width, so the decoder's head matrix is the heads' (C, W). */
function blocksConfig(size: NetworkSize): TransformerConfig {
  return { ...size, vocab: OUTPUT_WIDTH, kvHeads: size.heads, ropeTheta: 10_000, normEps: 1e-6 };
}

/**
 * The output rows (B, W) of feature rows `x` (B, T, F), declaring every param on `g`. The decoder's token table
 * (`embed`) is declared but unread: the inputs are feature rows, embedded by `in_proj`.
 */
export function rewardOutputs(g: Graph, size: NetworkSize, x: Tensor): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const c = blocksConfig(size);
  const w = declareTransformer(g, c);
  const inProj = g.param('in_proj', [FEATURES, size.dModel], { kind: 'normal', std: IN_STD });
  const inBias = g.param('in_bias', [size.dModel], { kind: 'const', value: 0 });
  const h = g.add(g.matmul(x, inProj), inBias); // (B, T, C)
  const hidden = decoder(g, h, w, blockContext(g, c, T)).hidden; // (B, T, C)
  const summary = g.reshape(g.slice(hidden, 1, T - 1, T), [B, size.dModel]); // (B, C)
  const outBias = g.param('out_bias', [OUTPUT_WIDTH], { kind: 'const', value: 0 });
  return g.add(g.matmul(summary, w.lmHead), outBias); // (B, W)
}

/**
 * The training loss of B pairs: inputs `tokens` (B, T, F), `targets` (B, W) in the output layout, `mask` (B, heads)
 * 1 where the metric is valid. The sum over heads of each head's masked mean: binary cross-entropy on a logit,
 * cross-entropy over a levels head's classes, squared error of sigmoid(output) for a regression.
 */
export function rewardLoss(g: Graph, size: NetworkSize, batch: number): Tensor {
  const tokens = g.input('tokens', [batch, TOKENS, FEATURES]);
  const targets = g.input('targets', [batch, OUTPUT_WIDTH]);
  const mask = g.input('mask', [batch, HEAD_SLOTS.length]);
  const out = rewardOutputs(g, size, tokens); // (B, W)
  const terms = HEAD_SLOTS.map((s, h) => {
    const z = g.slice(out, 1, s.offset, s.offset + s.width); // (B, width)
    const y = g.slice(targets, 1, s.offset, s.offset + s.width);
    let loss: Tensor; // (B, 1)
    switch (s.kind) {
      case 'binary': // max(z, 0) - z y + log(1 + exp(-|z|)): softplus(z) - z y without overflow
        loss = g.add(g.sub(g.max(z, 0), g.mul(z, y)), g.log(g.add(1, g.exp(g.min(z, g.neg(z))))));
        break;
      case 'levels':
        loss = g.neg(g.sum(g.mul(logSoftmax(g, z), y), [1], true));
        break;
      case 'regression': {
        const d = g.sub(g.sigmoid(z), y);
        loss = g.mul(d, d);
        break;
      }
    }
    return maskedMean(g, g.reshape(loss, [batch]), g.reshape(g.slice(mask, 1, h, h + 1), [batch]));
  });
  return terms.reduce((a, b) => g.add(a, b));
}

const INFER_BATCH = 32; // pairs per inference run; fewer are padded

/** A trained reward model: its size and params, run by onnxruntime on pairs' feature rows. */
export class RewardNetwork {
  private compiled: Promise<{ engine: Engine; feeds: Record<string, HostTensor> }> | undefined;

  constructor(
    readonly size: NetworkSize,
    readonly params: ReadonlyMap<string, Float32Array>,
    private readonly threads = 2,
  ) {}

  /** The inference graph, compiled once, and its param feeds (each param's values under its shape). */
  private async compile() {
    const g = new Graph();
    g.output('out', rewardOutputs(g, this.size, g.input('tokens', [INFER_BATCH, TOKENS, FEATURES])));
    const feeds: Record<string, HostTensor> = {};
    for (const { name, tensor } of g.params) {
      const data = this.params.get(name);
      const n = sizeOf(tensor.shape);
      if (!data || data.length !== n)
        throw new UsageError(`reward model: param '${name}' has ${data?.length ?? 0} values, expected ${n}`);
      feeds[name] = { dtype: 'float32', shape: tensor.shape, data };
    }
    return { engine: await createOrtEngine(g, { threads: this.threads }), feeds };
  }

  /** The output rows (N, W) of N pairs' feature rows (N, T, F). */
  async outputs(tokens: Float32Array): Promise<Float32Array> {
    const size = TOKENS * FEATURES;
    const n = tokens.length / size;
    this.compiled ??= this.compile();
    const { engine, feeds } = await this.compiled;
    const out = new Float32Array(n * OUTPUT_WIDTH);
    for (let from = 0; from < n; from += INFER_BATCH) {
      const count = Math.min(INFER_BATCH, n - from);
      const chunk = new Float32Array(INFER_BATCH * size); // (INFER_BATCH, T, F), zero rows past `count`
      chunk.set(tokens.subarray(from * size, (from + count) * size));
      const shape = [INFER_BATCH, TOKENS, FEATURES];
      const run = await engine.run({ ...feeds, tokens: { dtype: 'float32', shape, data: chunk } });
      out.set((run.out!.data as Float32Array).subarray(0, count * OUTPUT_WIDTH), from * OUTPUT_WIDTH);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.compiled) await (await this.compiled).engine.dispose();
  }
}
