// The driving stages' shared layout: each frame with actions and CoT becomes one driving sequence, think (CoT then
// actions) or fast (actions only). Not which trace or instruction a stage picks (cot-sft.ts, cot-short.ts,
// instruct.ts).

import type { Rng } from '../../core/rng.js';
import type { LakeFrame } from '../../data/frames.js';
import { actionIds, drivingPrompt } from '../../model/prompt.js';
import type { Tokenizer } from '../../model/tokenizer.js';
import { NEXT_TOKEN } from '../objective.js';
import { assemble, type Example, type Span } from '../sequences.js';
import type { OfflineStage } from '../stage.js';

/** Share of driving examples laid out fast (no CoT), so `--mode fast` is in distribution. */
const FAST_SHARE = 0.5;
const QA_REPLAY = 0.25; // chance per frame of replaying a QA pack of it

/** What tells the driving stages apart. */
export interface DrivingLayout {
  readonly name: string;
  readonly markGood: boolean; // read the curated good cases (for `instruction`)
  readonly trace: (cot: NonNullable<LakeFrame['cot']>) => string; // the CoT a think example writes
  readonly instruction: (r: LakeFrame, rng: Rng) => string; // drawn after the fast/think choice
}

function drivingExample(tok: Tokenizer, r: LakeFrame, instruction: string, cot: string | null): Example {
  const actions = [...actionIds(tok, r.actions!), tok.special('</act>'), tok.special('<eos>')];
  const spans: Span[] =
    cot === null
      ? [
          { ids: drivingPrompt(tok, instruction, 'fast'), loss: false },
          { ids: actions, loss: true },
        ]
      : [
          { ids: drivingPrompt(tok, instruction, 'think'), loss: false },
          {
            ids: [...tok.encode(cot), tok.special('</think>'), tok.special('<act>'), ...actions],
            loss: true,
          },
        ];
  return assemble(r.frame, spans);
}

export function drivingStage<const N extends string>(layout: DrivingLayout & { readonly name: N }) {
  return {
    kind: 'offline',
    name: layout.name,
    startsFresh: false,
    reads: { markGood: layout.markGood },
    qaReplay: QA_REPLAY,
    frameExamples(tok, r, rng) {
      if (!r.actions || !r.cot) return null;
      const fast = rng.chance(FAST_SHARE);
      const instruction = layout.instruction(r, rng);
      return [drivingExample(tok, r, instruction, fast ? null : layout.trace(r.cot))];
    },
    objective: NEXT_TOKEN,
  } as const satisfies OfflineStage;
}
