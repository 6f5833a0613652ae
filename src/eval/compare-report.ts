// Human-readable and JSON forms of a paired comparison: each driver's scores, the difference B minus A with its
// 95% interval per score and per family, and both drivers' at-fault collisions. Not the comparison (compare.ts).

import { METRIC_NAMES } from '../sim/metrics/index.js';
import type { Interval } from './bootstrap.js';
import type { Comparison } from './compare.js';
import { SCORE_NAMES, type ScoreIntervals } from './intervals.js';
import {
  atFaultCount,
  bootstrapJson,
  bootstrapText,
  ciText,
  intervalJson,
  MIN_INTERVAL_EPISODES,
  suiteJson,
} from './report.js';
import { table } from './table.js';

/** Whether the interval leaves out 0: the difference is more than resampling noise at 95%. */
function excludesZero(i: Interval): boolean {
  return i.lo > 0 || i.hi < 0;
}

const signed = (x: number, digits = 3) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
const mark = (i: Interval, episodes: number) =>
  excludesZero(i) && episodes >= MIN_INTERVAL_EPISODES ? '*' : '';

function differenceJson(scores: ScoreIntervals) {
  return Object.fromEntries(
    SCORE_NAMES.map((s) => [s, { difference: scores[s].estimate, ...intervalJson(scores[s]) }]),
  );
}

/** The JSON of a comparison: both suite results and the paired differences, overall and per family. */
export function comparisonJson(c: Comparison): Record<string, unknown> {
  const familyCollisions = (family: string) => ({
    a: atFaultCount(c.a.episodes.filter((e) => e.family === family)),
    b: atFaultCount(c.b.episodes.filter((e) => e.family === family)),
  });
  return {
    suite: c.a.suite,
    version: c.a.version,
    episodes: c.a.summary.episodes,
    a: suiteJson(c.a),
    b: suiteJson(c.b),
    difference: {
      of: 'b - a',
      bootstrap: { ...bootstrapJson(c.difference.bootstrap), paired: true },
      scores: differenceJson(c.difference.all),
      at_fault_collisions: { a: c.a.summary.atFaultCollisions, b: c.b.summary.atFaultCollisions },
      families: Object.fromEntries(
        c.difference.families.map((f) => [
          f.family,
          {
            episodes: f.episodes,
            scores: differenceJson(f.scores),
            at_fault_collisions: familyCollisions(f.family),
          },
        ]),
      ),
    },
  };
}

/** The comparison as text tables: per score, per family (EPDMS), and per family and sub-metric. */
export function comparisonText(c: Comparison): string {
  const { a, b, difference } = c;
  const n = a.summary.episodes;
  const scores = SCORE_NAMES.map((s) => {
    const d = difference.all[s];
    return [
      s,
      a.intervals.all[s].estimate.toFixed(3),
      b.intervals.all[s].estimate.toFixed(3),
      signed(d.estimate),
      ciText(d, n, signed),
      mark(d, n),
    ];
  });
  scores.push([
    'at-fault collisions',
    String(a.summary.atFaultCollisions),
    String(b.summary.atFaultCollisions),
    signed(b.summary.atFaultCollisions - a.summary.atFaultCollisions, 0),
    '',
    '',
  ]);
  const byFamily = (family: string, r: typeof a) => r.intervals.families.find((f) => f.family === family)!;
  const families = difference.families.map((f) => [
    f.family,
    String(f.episodes),
    byFamily(f.family, a).scores.epdms.estimate.toFixed(3),
    byFamily(f.family, b).scores.epdms.estimate.toFixed(3),
    signed(f.scores.epdms.estimate),
    ciText(f.scores.epdms, f.episodes, signed),
    mark(f.scores.epdms, f.episodes),
    String(atFaultCount(a.episodes.filter((e) => e.family === f.family))),
    String(atFaultCount(b.episodes.filter((e) => e.family === f.family))),
  ]);
  const grid = difference.families.map((f) => [
    f.family,
    ...(['pdms', ...METRIC_NAMES] as const).map(
      (s) => `${signed(f.scores[s].estimate)}${mark(f.scores[s], f.episodes)}`,
    ),
  ]);
  return (
    `A: ${a.driver}   B: ${b.driver}   on ${a.suite} v${a.version}, ${a.summary.episodes} paired episodes\n` +
    `B - A with its 95% interval (paired ${bootstrapText(difference.bootstrap)}); * the interval excludes 0; ` +
    `no interval from fewer than ${MIN_INTERVAL_EPISODES} episodes\n\n` +
    `${table(['score', 'A', 'B', 'B - A', '95% CI', ''], scores)}\n` +
    `${table(['family', 'episodes', 'A EPDMS', 'B EPDMS', 'B - A', '95% CI', '', 'A at-fault', 'B at-fault'], families)}\n` +
    'B - A per family and sub-metric (intervals in --json)\n' +
    table(['family', 'pdms', ...METRIC_NAMES], grid)
  );
}
