// The model's open-loop figures as terminal text: accuracies with their counts (QA by category, the light's state,
// action and CoT tokens, instruction adherence by behaviour), plan L2 and CoT length. Not the plan scores' table.

import type { Accuracy, OpenLoopResult } from './open-loop.js';
import { openLoopPlansText } from './open-loop-plans-report.js';
import { table } from './table.js';

const percent = (a: Accuracy) => (a.n === 0 ? '-' : `${(100 * a.accuracy).toFixed(1)}%`);

/** One table of every accuracy (what, share right, out of how many), the L2 and CoT lines, then the plan scores. */
export function openLoopText(result: OpenLoopResult): string {
  const rows: [string, Accuracy][] = [
    ...Object.entries(result.qa).map(([category, a]): [string, Accuracy] => [`qa ${category}`, a]),
    ['light state', result.lightState],
    ['action tokens', result.actionTokens],
    ['cot tokens (teacher-forced)', result.cotTokens],
    ...Object.entries(result.adherence).map(([b, a]): [string, Accuracy] => [`adherence ${b}`, a]),
  ];
  return (
    `open loop on ${result.frames} held-out frames\n\n` +
    table(
      ['figure', 'right', 'of'],
      rows.map(([what, a]) => [what, percent(a), String(a.n)]),
    ) +
    `\nplan L2 vs expert: mean ${result.l2.mean.toFixed(2)} m, at 4 s ${result.l2.at4s.toFixed(2)} m; ` +
    `CoT in think mode: ${result.cotLength.toFixed(1)} tokens on average\n\n` +
    openLoopPlansText(result.plans)
  );
}
