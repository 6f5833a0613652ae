// Alignment: the pretrained model learns the traffic rules as QA, the rule and decision sentences of each frame's
// long CoT beside its traffic-light questions. Not pretraining's QA mix (pretrain.ts).

import type { QaRow } from '../../data/frames.js';
import { NEXT_TOKEN } from '../objective.js';
import { qaExamples } from '../sequences.js';
import type { OfflineStage } from '../stage.js';

/** Rule knowledge as QA, read from a CoT trace's "Rule: ... Decision: ..." sentences. */
export function ruleQa(longTrace: string): QaRow[] {
  const rule = /Rule: ([^.]+)\./.exec(longTrace)?.[1];
  const decision = /Decision: ([^.]+)\./.exec(longTrace)?.[1];
  const out: QaRow[] = [];
  if (rule)
    out.push({ category: 'rule', key: 'rule', question: 'Which traffic rule applies now?', answer: rule });
  if (decision)
    out.push({ category: 'rule', key: 'decision', question: 'What do you decide to do?', answer: decision });
  return out;
}

export const align = {
  kind: 'offline',
  name: 'align',
  startsFresh: false,
  reads: { markGood: false },
  qaReplay: 0.25,
  frameExamples(tok, r, rng) {
    const rules = r.cot ? ruleQa(r.cot.long) : [];
    return qaExamples(tok, r.frame, rng.shuffle([...rules, ...r.qa.filter((q) => q.category === 'tsl')]));
  },
  objective: NEXT_TOKEN,
} as const satisfies OfflineStage;
