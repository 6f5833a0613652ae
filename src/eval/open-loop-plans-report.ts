// The open-loop plan scores as terminal text: EPDMS, PDMS and every sub-metric for the model and the expert on
// the same held-out frames, with 95% intervals and the paired difference. Not the scoring (open-loop-plans.ts).

import { CONFIDENCE } from './bootstrap.js';
import { SCORE_NAMES } from './intervals.js';
import type { OpenLoopPlans } from './open-loop-plans.js';
import { bootstrapText, ciText } from './report.js';
import { table } from './table.js';

/** A headline and a table of every score: model, its interval, expert, model minus expert and its interval. */
export function openLoopPlansText(plans: OpenLoopPlans): string {
  const skipped = plans.notReplayable > 0 ? ` (${plans.notReplayable} on-policy frames not replayable)` : '';
  const { model, expert, modelMinusExpert: diff } = plans;
  if (!model || !expert || !diff) return `open-loop plans: no frame scored${skipped}\n`;
  const n = plans.frames;
  const f = (x: number) => x.toFixed(3);
  const rows = SCORE_NAMES.map((s) => [
    s,
    f(model.all[s].estimate),
    ciText(model.all[s], n),
    f(expert.all[s].estimate),
    f(diff.all[s].estimate),
    ciText(diff.all[s], n),
  ]);
  const ci = `${100 * CONFIDENCE}% CI`;
  return (
    `open-loop plans on ${n} held-out frames${skipped}: EPDMS ${f(model.all.epdms.estimate)} ` +
    `(expert ${f(expert.all.epdms.estimate)}), at-fault collisions ${plans.atFaultCollisions.model} ` +
    `(expert ${plans.atFaultCollisions.expert})  (${bootstrapText(model.bootstrap, 'frames')}; EC needs the ` +
    `previous plan, unknown open loop: invalid, counted 1)\n\n` +
    table(['score', 'model', ci, 'expert', 'model - expert', ci], rows)
  );
}
