// Training sequences: the tokenizer trained on the lake's text, the text spans of an example with their loss mask
// (targets IGNORE where a span carries no loss), QA packing, and a stage's examples from lake frames.
// Not which stage lays out what (stages/*.ts), not the prompt layout (model/prompt.ts), not batching (loop.ts).
//
// Text layouts (after the image and ego tokens):
//   QA (pretrain, align): <bos> <q> question <ans> answer <q> question <ans> answer ... <eos>   loss: answers
//   driving, think:       <bos> <instr> instruction <think> CoT </think> <act> a1..a16 </act> <eos>   loss: from CoT
//   driving, fast:        <bos> <instr> instruction <act> a1..a16 </act> <eos>                  loss: actions

import { Rng } from '../core/rng.js';
import type { LakeFrame, QaRow } from '../data/frames.js';
import type { ActionBins } from '../labels/action-bins.js';
import { type SpecialToken, type Tokenizer, trainTokenizer } from '../model/tokenizer.js';
import { IGNORE, type VlaFrame } from '../model/vla.js';
import type { OfflineStage } from './stage.js';

/** One training example: a frame, its text ids, and the target of each text position. */
export interface Example {
  readonly frame: VlaFrame;
  readonly tokens: readonly number[]; // (S,)
  readonly targets: readonly number[]; // (S,) tokens[i + 1] where that token carries loss, else IGNORE
}

export const QA_PACK_TOKENS = 64; // QA pairs are packed into sequences of at most this many text tokens

/** A byte-level BPE of `vocabSize` tokens over the lake's corpus, with action spans sized by the lake's bins. */
export function lakeTokenizer(corpus: readonly string[], bins: ActionBins, vocabSize: number): Tokenizer {
  return trainTokenizer(corpus, {
    vocabSize,
    longitudinalBins: bins.longitudinal.centres.length,
    lateralBins: bins.lateral.centres.length,
  });
}

/** A text span: its ids and whether predicting them carries loss. */
export interface Span {
  readonly ids: readonly number[];
  readonly loss: boolean;
}

/** Joins spans into tokens and next-token targets, IGNORE where the next token's span has no loss. */
export function assemble(frame: VlaFrame, spans: readonly Span[]): Example {
  const tokens: number[] = [];
  const lossAt: boolean[] = [];
  for (const s of spans) {
    tokens.push(...s.ids);
    for (const _ of s.ids) lossAt.push(s.loss);
  }
  const targets = tokens.map((_, i) => (i + 1 < tokens.length && lossAt[i + 1] ? tokens[i + 1]! : IGNORE));
  return { frame, tokens, targets };
}

/** Packs QA pairs (in the given order) into sequences of at most QA_PACK_TOKENS; loss on the answers. */
export function qaExamples(tok: Tokenizer, frame: VlaFrame, pairs: readonly QaRow[]): Example[] {
  const sp = (t: SpecialToken) => tok.special(t);
  const out: Example[] = [];
  let spans: Span[] = [{ ids: [sp('<bos>')], loss: false }];
  let length = 1;
  const flush = () => {
    if (spans.length > 1) out.push(assemble(frame, [...spans, { ids: [sp('<eos>')], loss: true }]));
    spans = [{ ids: [sp('<bos>')], loss: false }];
    length = 1;
  };
  for (const qa of pairs) {
    const question = tok.encode(qa.question).concat(sp('<ans>'));
    const answer = tok.encode(` ${qa.answer}`);
    const n = 1 + question.length + answer.length;
    if (n + 2 > QA_PACK_TOKENS) continue; // a pair too long for a pack on its own is skipped
    if (length + n + 1 > QA_PACK_TOKENS) flush();
    // the <q> after an answer (or <eos>) carries loss too: it is how the model ends an answer
    spans.push(
      { ids: [sp('<q>')], loss: spans.length > 1 },
      { ids: question, loss: false },
      { ids: answer, loss: true },
    );
    length += n;
  }
  flush();
  return out;
}

/**
 * Examples of a stage from lake frames; `seed` draws the QA order and the stage's layout choices. Each frame the
 * stage uses may also replay one packed QA sequence of it (the stage's qaReplay chance), so VQA is not forgotten.
 */
export function stageExamples(
  stage: OfflineStage,
  tok: Tokenizer,
  records: readonly LakeFrame[],
  seed: number,
): Example[] {
  const rng = new Rng(seed);
  const out: Example[] = [];
  for (const r of records) {
    const own = stage.frameExamples(tok, r, rng);
    if (own === null) continue;
    out.push(...own);
    if (r.qa.length > 0 && rng.chance(stage.qaReplay)) {
      const [replay] = qaExamples(tok, r.frame, rng.shuffle([...r.qa]));
      if (replay) out.push(replay);
    }
  }
  return out;
}
