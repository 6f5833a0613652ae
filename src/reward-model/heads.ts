// The learned reward model's heads: one per sub-metric of the plan scorer, each with its kind (a binary logit,
// three levels as classes, or a regression) and its width. Not the network, its training nor its evaluation.

import { epdms, METRIC_NAMES, type MetricName, type MetricResult } from '../sim/metrics/index.js';

/** How a head predicts its sub-metric: pass/fail as one logit, {0, 0.5, 1} as three classes, EP as a value. */
export type HeadKind = 'binary' | 'levels' | 'regression';

/** NC and DDC take 0, 0.5 or 1 (metrics/collision.ts, direction.ts); EP is a ratio; the rest pass or fail. */
export const HEAD_KINDS: Readonly<Record<MetricName, HeadKind>> = {
  nc: 'levels',
  dac: 'binary',
  ddc: 'levels',
  tlc: 'binary',
  ep: 'regression',
  ttc: 'binary',
  lk: 'binary',
  c: 'binary',
  hc: 'binary',
  ec: 'binary',
};

/** The values a levels head's classes stand for, in class order. */
export const LEVELS = [0, 0.5, 1] as const;

/** Outputs of a head of this kind: one logit, one logit per level, or one value. */
export function headWidth(kind: HeadKind): number {
  return kind === 'levels' ? LEVELS.length : 1;
}

/** The class of a levels metric's value: the nearest level. */
export function levelIndex(value: number): number {
  let best = 0;
  for (let i = 1; i < LEVELS.length; i++)
    if (Math.abs(value - LEVELS[i]!) < Math.abs(value - LEVELS[best]!)) best = i;
  return best;
}

/** The EPDMS the heads' predicted sub-metric values imply (every one taken as valid). */
export function impliedEpdms(values: Readonly<Record<MetricName, number>>): number {
  const metrics = {} as Record<MetricName, MetricResult>;
  for (const name of METRIC_NAMES) metrics[name] = { value: values[name], valid: true };
  return epdms(metrics);
}
