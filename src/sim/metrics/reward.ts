// RL rewards as weighted sums of named metric terms (safety.*, compliance.*, efficiency.*, comfort.*), per episode
// and per step, both read from the same per-state series (series.ts). Not a training loop nor a reward model.

import { z } from 'zod';
import { parseConfig } from '../../core/config.js';
import { UnknownNameError } from '../../core/errors.js';
import type { EpisodeContext } from './context.js';
import type { MetricName } from './metric.js';
import { EP_MIN_PROGRESS } from './progress.js';
import type { EpisodeScore } from './score.js';
import type { EpisodeSeries } from './series.js';

/** The named reward terms and the metric each one reads. */
export const REWARD_TERMS = {
  'safety.nc': 'nc',
  'safety.ttc': 'ttc',
  'compliance.dac': 'dac',
  'compliance.ddc': 'ddc',
  'compliance.tlc': 'tlc',
  'compliance.lk': 'lk',
  'efficiency.ep': 'ep',
  'comfort.c': 'c',
  'comfort.hc': 'hc',
  'comfort.ec': 'ec',
} as const satisfies Record<string, MetricName>;
export type RewardTerm = keyof typeof REWARD_TERMS;
export const REWARD_TERM_NAMES = Object.keys(REWARD_TERMS) as RewardTerm[];

/** Config shape: term name -> weight, e.g. { "safety.nc": 10, "efficiency.ep": 1 }. Names are checked by Reward. */
export const RewardWeightsSchema = z.record(z.string(), z.number().finite());
export type RewardWeights = z.infer<typeof RewardWeightsSchema>;

export interface StepRewards {
  readonly total: Float32Array; // (T,) reward of the step from state i to state i + 1
  readonly terms: Readonly<Partial<Record<RewardTerm, Float32Array>>>; // (T,) each unweighted
}

export interface EpisodeReward {
  readonly total: number;
  readonly terms: Readonly<Partial<Record<RewardTerm, number>>>; // unweighted episode metric values
}

function isTerm(name: string): name is RewardTerm {
  return Object.hasOwn(REWARD_TERMS, name);
}

/** A weighted sum of named terms; an unknown term name fails here, at construction, with the known names. */
export class Reward {
  readonly weights: ReadonlyMap<RewardTerm, number>;

  constructor(weights: Readonly<Record<string, number>>) {
    const map = new Map<RewardTerm, number>();
    for (const [name, weight] of Object.entries(weights)) {
      if (!isTerm(name)) throw new UnknownNameError('reward term', name, REWARD_TERM_NAMES);
      map.set(name, weight);
    }
    this.weights = map;
  }

  /** A Reward from a parsed config value (e.g. a JSON file's `reward` object); bad shapes name `file`. */
  static fromConfig(value: unknown, file: string): Reward {
    return new Reward(parseConfig(RewardWeightsSchema, value, file));
  }

  /** Episode reward: sum of weight x episode metric value (an invalid metric counts as 1, as in score.ts). */
  episode(score: EpisodeScore): EpisodeReward {
    const terms: Partial<Record<RewardTerm, number>> = {};
    let total = 0;
    for (const [name, weight] of this.weights) {
      const m = score.metrics[REWARD_TERMS[name]];
      const value = m.valid ? m.value : 1;
      terms[name] = value;
      total += weight * value;
    }
    return { total, terms };
  }

  /**
   * Dense rewards, one per step (T = states - 1): step i is judged by the per-state series at state i + 1.
   * Pass/fail and per-plan terms give value - 1 there (0 when fine, down to -1 on a violation: an at-fault
   * collision when it starts, each state on a red connector, each state off-road, with TTC < 0.9 s, uncomfortable,
   * off-centre beyond LK's 2 s, in a failing DDC window); efficiency.ep gives the route progress of the step
   * divided by max(reference progress, 5 m), so a step sum equals EP's numerator over its denominator whenever
   * ego does not beat the reference. Reversing makes it negative.
   */
  steps(ctx: EpisodeContext, series: EpisodeSeries): StepRewards {
    const steps = ctx.n - 1;
    const total = new Float32Array(steps);
    const terms: Partial<Record<RewardTerm, Float32Array>> = {};
    const scale = 1 / Math.max(ctx.referenceProgress ?? 0, EP_MIN_PROGRESS);
    for (const [name, weight] of this.weights) {
      const metric = REWARD_TERMS[name];
      const s = series.metrics[metric];
      const out = new Float32Array(steps);
      for (let i = 0; i < steps; i++) {
        if (s.valid[i + 1] === 0) continue;
        out[i] = metric === 'ep' ? s.values[i + 1] * scale : s.values[i + 1] - 1;
        total[i] += weight * out[i];
      }
      terms[name] = out;
    }
    return { total, terms };
  }
}
