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

/** Where each head's outputs sit in the network's (B, W) output row, in METRIC_NAMES order. */
export interface HeadSlot {
  readonly name: MetricName;
  readonly kind: HeadKind;
  readonly offset: number;
  readonly width: number;
}

export const HEAD_SLOTS: readonly HeadSlot[] = (() => {
  let offset = 0;
  return METRIC_NAMES.map((name) => {
    const kind = HEAD_KINDS[name];
    const slot = { name, kind, offset, width: headWidth(kind) };
    offset += slot.width;
    return slot;
  });
})();

/** W: the width of the output row (and of a target row). */
export const OUTPUT_WIDTH = HEAD_SLOTS.reduce((n, s) => n + s.width, 0);

/**
 * A plan's sub-metrics as a target row (W) in the output layout (binary: 0/1, levels: one-hot, regression: the
 * value) and a mask (heads,): 1 where the metric is valid, so an invalid one carries no loss.
 */
export function encodeTargets(
  metrics: Readonly<Record<MetricName, MetricResult>>,
  target: Float32Array,
  mask: Float32Array,
): void {
  HEAD_SLOTS.forEach((s, h) => {
    const m = metrics[s.name];
    mask[h] = m.valid ? 1 : 0;
    switch (s.kind) {
      case 'binary':
        target[s.offset] = m.value >= 0.5 ? 1 : 0;
        break;
      case 'levels':
        target.fill(0, s.offset, s.offset + s.width);
        target[s.offset + levelIndex(m.value)] = 1;
        break;
      case 'regression':
        target[s.offset] = m.value;
        break;
    }
  });
}

/** One head's reading of its outputs: the class it predicts and the metric value it implies. */
export interface HeadReading {
  readonly value: number; // binary: P(pass); levels: the expected level; regression: the value
  readonly label: number; // binary: 0/1; levels: the argmax level's value; regression: the value
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Reads slot `s` of one output row. */
export function readHead(s: HeadSlot, row: ArrayLike<number>): HeadReading {
  switch (s.kind) {
    case 'binary': {
      const p = sigmoid(row[s.offset]!);
      return { value: p, label: p >= 0.5 ? 1 : 0 };
    }
    case 'levels': {
      const z = Array.from({ length: s.width }, (_, i) => row[s.offset + i]!);
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const total = e.reduce((a, b) => a + b, 0);
      const value = e.reduce((acc, v, i) => acc + (v / total) * LEVELS[i]!, 0);
      return { value, label: LEVELS[z.indexOf(top)]! };
    }
    case 'regression': {
      const v = sigmoid(row[s.offset]!); // EP lies in [0, 1]
      return { value: v, label: v };
    }
  }
}

/** The label a true metric value has in its head's terms (binary 0/1, the nearest level, or the value). */
export function trueLabel(s: HeadSlot, value: number): number {
  if (s.kind === 'binary') return value >= 0.5 ? 1 : 0;
  if (s.kind === 'levels') return LEVELS[levelIndex(value)]!;
  return value;
}
