// GRPO's loss on one batch of rows (sampled plans with their advantages, and the expert's tokens): the clipped
// policy-gradient term, a KL penalty to the frozen reference model (same graph, params under REF_PREFIX) and an
// imitation term. Not sampling, scoring or advantages (the sampler, reward.ts, advantages.ts).

import { z } from 'zod';
import type { Graph } from '../../engine/graph.js';
import { maskedMean, targetMask, tokenKl, tokenLogProbs } from '../../engine/losses.js';
import type { Tensor } from '../../engine/types.js';
import type { VlaConfig } from '../../model/config.js';
import { declareInputs, declareVla, IGNORE, vlaLogits } from '../../model/vla.js';

/** The reference (instruct) model's params sit in the training graph under this prefix, frozen. */
export const REF_PREFIX = 'ref/';

/** The recipe's rl.grpo: the group's sampling and the loss's clip range and term weights. */
export const grpoSchema = z.strictObject({
  group: z.int().min(2), // G plans sampled per scene
  temperature: z.number().positive(), // of the sampling
  clip: z.number().gt(0).lt(1), // epsilon: the ratio is clipped to [1 - eps, 1 + eps]
  kl: z.number().min(0), // beta: weight of KL(policy || reference) on the sampled tokens
  imitation: z.number().min(0), // lambda: weight of the cross-entropy on the expert's tokens
});
export type GrpoSettings = z.infer<typeof grpoSchema>;
export type GrpoLossWeights = Pick<z.infer<typeof grpoSchema>, 'clip' | 'kl' | 'imitation'>;

/**
 * The loss of R rows at text length S. Inputs besides the model's: `targets` (R, S) int64 (IGNORE: no loss),
 * `advantage` (R, S) float32 (the row's advantage on its sampled tokens), `old_logp` (R, S) float32 (the sampling
 * policy's log-prob of each target), `imitation` (R, S) float32 (1 on the expert's tokens, 0 on sampled ones).
 *   loss = mean_sampled[-min(ratio A, clip(ratio) A)] + beta mean_sampled[KL] + lambda mean_expert[-log p]
 */
export function grpoLoss(
  g: Graph,
  c: VlaConfig,
  vocab: number,
  rows: number,
  text: number,
  w: GrpoLossWeights,
): Tensor {
  const policy = declareVla(g, c, vocab);
  const reference = declareVla(g, c, vocab, { prefix: REF_PREFIX, frozen: true });
  const x = declareInputs(g, c, rows, text);
  const targets = g.reshape(g.input('targets', [rows, text], 'int64'), [rows * text]); // (N)
  const flat = (name: string) => g.reshape(g.input(name, [rows, text]), [rows * text]); // (N)
  const advantage = flat('advantage');
  const oldLogp = flat('old_logp');
  const imitation = flat('imitation');
  const logits = g.reshape(vlaLogits(g, c, vocab, policy, x), [rows * text, vocab]); // (N, V)
  const refLogits = g.reshape(vlaLogits(g, c, vocab, reference, x), [rows * text, vocab]); // (N, V)
  const kept = targetMask(g, targets, IGNORE); // (N)
  const sampled = g.mul(kept, g.sub(1, imitation)); // (N)
  const expert = g.mul(kept, imitation); // (N)
  const logp = tokenLogProbs(g, logits, targets); // (N)
  const ratio = g.exp(g.sub(logp, oldLogp)); // (N)
  const clipped = g.min(g.max(ratio, 1 - w.clip), 1 + w.clip);
  const surrogate = g.min(g.mul(ratio, advantage), g.mul(clipped, advantage)); // (N)
  const pg = g.neg(maskedMean(g, surrogate, sampled));
  const kl = maskedMean(g, tokenKl(g, logits, refLogits), sampled);
  const imitate = g.neg(maskedMean(g, logp, expert));
  return g.add(g.add(pg, g.mul(kl, w.kl)), g.mul(imitate, w.imitation));
}
