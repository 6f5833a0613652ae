// Token losses composed from graph.ts primitives: log-probabilities of given tokens, masked means, cross-entropy
// (plain and per-token weighted) and the KL divergence between two distributions over the vocabulary.
// Not new primitives (autodiff and every engine get these for free) and not which tokens a stage scores (train/).

import type { Graph } from './graph.js';
import { logSoftmax, oneHot } from './nn.js';
import type { Tensor } from './types.js';

/** log p(target) under softmax(`logits`) (N, V) for int64 `targets` (N): (N); a target outside [0, V) gives 0. */
export function tokenLogProbs(g: Graph, logits: Tensor, targets: Tensor): Tensor {
  const depth = logits.shape[logits.shape.length - 1]!;
  return g.sum(g.mul(oneHot(g, targets, depth), logSoftmax(g, logits)), [-1]); // (N)
}

/** 1 where `targets` (N) is not `ignoreIndex`, else 0: float32 (N). */
export function targetMask(g: Graph, targets: Tensor, ignoreIndex: number): Tensor {
  return g.sub(1, g.cast(g.compare('equal', targets, g.scalar(ignoreIndex, 'int64')), 'float32'));
}

/** sum(values * mask) / max(sum(mask), 1) over (N): the mean over kept tokens, 0 when none is kept. */
export function maskedMean(g: Graph, values: Tensor, mask: Tensor): Tensor {
  const count = g.max(g.sum(mask, [0]), 1);
  return g.div(g.sum(g.mul(values, mask), [0]), count);
}

/**
 * Mean cross-entropy of `logits` (N, V) against int64 `targets` (N); targets equal to `ignoreIndex` carry no
 * loss and do not count in the mean. Returns a scalar.
 */
export function crossEntropy(g: Graph, logits: Tensor, targets: Tensor, ignoreIndex = -100): Tensor {
  const picked = tokenLogProbs(g, logits, targets); // (N)
  return g.neg(maskedMean(g, picked, targetMask(g, targets, ignoreIndex)));
}

/**
 * Per-token weighted cross-entropy: the mean over non-ignored targets of -weight * log p(target), `weights` (N)
 * float32 of any sign (an advantage: a negative weight pushes the token's probability down). With all weights 1
 * it is crossEntropy. The mean divides by the count of kept tokens, not by the sum of weights.
 */
export function weightedCrossEntropy(
  g: Graph,
  logits: Tensor,
  targets: Tensor,
  weights: Tensor,
  ignoreIndex = -100,
): Tensor {
  const picked = g.mul(tokenLogProbs(g, logits, targets), weights); // (N)
  return g.neg(maskedMean(g, picked, targetMask(g, targets, ignoreIndex)));
}

/**
 * KL(p || q) per token with p = softmax(targetLogits / T), q = softmax(modelLogits / T), both (N, V): (N).
 * Gradients reach both sides (pass a frozen model's logits as the side that must not move). Not scaled by T^2.
 */
export function tokenKl(g: Graph, targetLogits: Tensor, modelLogits: Tensor, temperature = 1): Tensor {
  const logP = logSoftmax(g, g.mul(targetLogits, 1 / temperature)); // (N, V)
  const logQ = logSoftmax(g, g.mul(modelLogits, 1 / temperature)); // (N, V)
  return g.sum(g.mul(g.exp(logP), g.sub(logP, logQ)), [-1]); // (N)
}

/** The mean over tokens with `mask` (N) 1 of tokenKl(targetLogits, modelLogits, temperature). Returns a scalar. */
export function klDivergence(
  g: Graph,
  targetLogits: Tensor,
  modelLogits: Tensor,
  mask: Tensor,
  temperature = 1,
): Tensor {
  return maskedMean(g, tokenKl(g, targetLogits, modelLogits, temperature), mask);
}
