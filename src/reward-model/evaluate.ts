// The reward model's agreement with the plan scorer on held-out pairs: per sub-metric accuracy against the
// majority baseline (binary and levels heads) and Spearman (levels, EP, and the implied EPDMS), pick regret
// against a random pick; as JSON and a Markdown table. Not the statistics themselves (agreement.ts).

import { METRIC_NAMES, type MetricName } from '../sim/metrics/index.js';
import {
  accuracy,
  majorityAccuracy,
  pickRegret,
  type Regret,
  type ScoredGroup,
  spearman,
} from './agreement.js';
import type { PairSet } from './dataset.js';
import { HEAD_SLOTS, type HeadKind, impliedEpdms, OUTPUT_WIDTH, readHead, trueLabel } from './heads.js';

export interface HeadAgreement {
  readonly name: MetricName;
  readonly kind: HeadKind;
  readonly valid: number; // pairs where the scorer's metric is valid
  readonly accuracy: number | null; // binary and levels heads; null for EP or when nothing is valid
  readonly majority: number | null; // the accuracy of always predicting the commonest true class
  readonly spearman: number | null; // levels and EP: predicted value against the true one; null when constant
}

export interface Agreement {
  readonly pairs: number;
  readonly scenes: number;
  readonly heads: readonly HeadAgreement[];
  readonly epdmsSpearman: number | null; // implied EPDMS against the scorer's, over all pairs
  readonly regret: Regret; // EPDMS lost by picking each scene's best-predicted plan, and by a random pick
}

/** The EPDMS the output row implies; a head in `untrained` (never saw a valid label) counts as 1, as invalid does. */
export function rowEpdms(row: ArrayLike<number>, untrained: ReadonlySet<MetricName>): number {
  const values = {} as Record<MetricName, number>;
  for (const s of HEAD_SLOTS) values[s.name] = untrained.has(s.name) ? 1 : readHead(s, row).value;
  return impliedEpdms(values);
}

/** Agreement of `outputs` ((M, W), the network's rows for `set`'s pairs) with the scorer's truth. */
export function agreement(
  set: PairSet,
  outputs: Float32Array,
  untrained: ReadonlySet<MetricName>,
): Agreement {
  const H = HEAD_SLOTS.length;
  const row = (i: number) => outputs.subarray(i * OUTPUT_WIDTH, (i + 1) * OUTPUT_WIDTH);
  const heads = HEAD_SLOTS.map((s, h): HeadAgreement => {
    const predicted: number[] = [];
    const labels: number[] = [];
    const values: number[] = [];
    const truths: number[] = [];
    for (let i = 0; i < set.pairs; i++) {
      if (set.mask[i * H + h] === 0) continue;
      const reading = readHead(s, row(i));
      const truth = set.truth[i * H + h]!;
      predicted.push(reading.label);
      labels.push(trueLabel(s, truth));
      values.push(reading.value);
      truths.push(truth);
    }
    const classes = s.kind !== 'regression' && labels.length > 0;
    return {
      name: s.name,
      kind: s.kind,
      valid: labels.length,
      accuracy: classes ? accuracy(predicted, labels) : null,
      majority: classes ? majorityAccuracy(labels) : null,
      spearman: s.kind !== 'binary' && truths.length > 1 ? spearman(values, truths) : null,
    };
  });
  const implied = Array.from({ length: set.pairs }, (_, i) => rowEpdms(row(i), untrained));
  const groups: ScoredGroup[] = [];
  for (let i = 0; i < set.pairs; ) {
    let j = i;
    while (j < set.pairs && set.scene[j] === set.scene[i]) j++;
    groups.push({ predicted: implied.slice(i, j), actual: Array.from(set.epdms.subarray(i, j)) });
    i = j;
  }
  return {
    pairs: set.pairs,
    scenes: set.scenes,
    heads,
    epdmsSpearman: set.pairs > 1 ? spearman(implied, Array.from(set.epdms)) : null,
    regret: pickRegret(groups),
  };
}

const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(3));

/** The agreement as a Markdown table (one row per sub-metric) and two summary lines. */
export function agreementMarkdown(a: Agreement): string {
  const lines = [
    `Held-out agreement with the plan scorer: ${a.pairs} (scene, plan) pairs over ${a.scenes} scenes.`,
    '',
    '| sub-metric | head | valid pairs | accuracy | majority baseline | Spearman |',
    '|---|---|---:|---:|---:|---:|',
    ...METRIC_NAMES.map((name) => {
      const h = a.heads.find((x) => x.name === name)!;
      return `| ${name} | ${h.kind} | ${h.valid} | ${fmt(h.accuracy)} | ${fmt(h.majority)} | ${fmt(h.spearman)} |`;
    }),
    '',
    `Implied EPDMS Spearman: ${fmt(a.epdmsSpearman)}. Pick regret (EPDMS lost per scene by taking the ` +
      `best-predicted plan): ${fmt(a.regret.model)} against ${fmt(a.regret.random)} for a random pick.`,
  ];
  return `${lines.join('\n')}\n`;
}
