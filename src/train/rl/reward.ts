// The RL reward of one scored plan: named terms (safety.*, efficiency.*, compliance.*, comfort.*) read from the
// plan scorer's sub-metrics, combined as a weighted sum or, CaRL-style, efficiency multiplied down by infractions;
// and the chain of thought's length penalty. Not the scorer (sim/plan-scorer/) nor the policy update.

import { z } from 'zod';
import type { MetricName, MetricResult } from '../../sim/metrics/index.js';
import { REWARD_TERM_NAMES, REWARD_TERMS, type RewardTerm } from '../../sim/metrics/index.js';

export const REWARD_FORMS = ['sum', 'product'] as const;
export type RewardForm = (typeof REWARD_FORMS)[number];

const isTerm = (name: string): name is RewardTerm => Object.hasOwn(REWARD_TERMS, name);
/** The terms the product form multiplies (efficiency.*); every other term is an infraction factor. */
const isGain = (name: RewardTerm) => name.startsWith('efficiency.');

/**
 * The recipe's `rl.reward`: a form and term name -> weight. Unknown names fail at load. In the product form an
 * infraction term's weight is the share of the reward a full violation takes away, so it must lie in [0, 1].
 */
export const rewardSpecSchema = z
  .strictObject({ form: z.enum(REWARD_FORMS), weights: z.record(z.string(), z.number().finite()) })
  .superRefine((spec, ctx) => {
    for (const [name, weight] of Object.entries(spec.weights)) {
      if (!isTerm(name)) {
        const known = REWARD_TERM_NAMES.join(', ');
        ctx.addIssue({
          code: 'custom',
          path: ['weights', name],
          message: `unknown reward term; known: ${known}`,
        });
      } else if (spec.form === 'product' && !isGain(name) && (weight < 0 || weight > 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['weights', name],
          message: 'a product-form factor is in [0, 1]',
        });
      }
    }
    if (!Object.keys(spec.weights).some((n) => isTerm(n) && isGain(n)))
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'needs an efficiency.* term' });
  });
export type RewardSpec = z.infer<typeof rewardSpecSchema>;

export interface PlanReward {
  readonly total: number;
  readonly terms: Readonly<Partial<Record<RewardTerm, number>>>; // unweighted metric values in [0, 1]
}

/** A metric's value as a reward term: an invalid metric (nothing to judge) counts as 1, as in the scores. */
const value = (m: MetricResult) => (m.valid ? m.value : 1);

/**
 * sum: sum of weight x term. product: (sum of weight x efficiency term) x prod over infraction terms of
 * (1 - weight x (1 - term)): a plan that makes no progress earns nothing, whatever else it does well.
 */
export function planReward(
  spec: RewardSpec,
  metrics: Readonly<Record<MetricName, MetricResult>>,
): PlanReward {
  const terms: Partial<Record<RewardTerm, number>> = {};
  let sum = 0;
  let gain = 0;
  let factor = 1;
  for (const [name, weight] of Object.entries(spec.weights)) {
    if (!isTerm(name)) continue; // the schema rejects these
    const v = value(metrics[REWARD_TERMS[name]]);
    terms[name] = v;
    sum += weight * v;
    if (isGain(name)) gain += weight * v;
    else factor *= 1 - weight * (1 - v);
  }
  return { total: spec.form === 'sum' ? sum : gain * factor, terms };
}

/** The recipe's `rl.lengthPenalty`: AutoVLA's scale x sigmoid(slope x (chars - centre)), rescaled to our traces. */
export const lengthPenaltySchema = z.strictObject({
  scale: z.number().min(0), // the most a long trace can cost (AutoVLA: 0.3)
  slope: z.number().positive(), // [1/char] (AutoVLA: 0.002 at a 400-character centre)
  centre: z.number().min(0), // [chars] where the penalty is half its scale
});
export type LengthPenalty = z.infer<typeof lengthPenaltySchema>;

/** What a trace of `chars` characters costs; 0 when the model chose not to think (fast mode). */
export function lengthPenalty(p: LengthPenalty, chars: number, thought: boolean): number {
  if (!thought) return 0;
  return p.scale / (1 + Math.exp(-p.slope * (chars - p.centre)));
}
