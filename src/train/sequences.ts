// Training sequences: the tokenizer trained on the lake's text, and per stage each frame turned into examples of
// image + text spans with a loss mask (targets IGNORE where a span carries no loss). Not batching (loop.ts).
//
// Pretrain packs each frame's path QA (PATH_QA_KEYS) on their own, beside one pack of its other QA. Stages after
// pretrain also replay some of their frames' QA (QA_REPLAY), so VQA is not forgotten.
// Text layouts (after the image and ego tokens):
//   QA (pretrain, align): <bos> <q> question <ans> answer <q> question <ans> answer ... <eos>   loss: answers
//   driving, think:       <bos> <instr> instruction <think> CoT </think> <act> a1..a16 </act> <eos>   loss: from CoT
//   driving, fast:        <bos> <instr> instruction <act> a1..a16 </act> <eos>                  loss: actions

import { UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { ActionBins } from '../labels/action-bins.js';
import { LEAD_KEYS } from '../labels/dynamic.js';
import { AHEAD_NOW_KEY } from '../labels/occupancy.js';
import { LIGHT_STATE_KEY } from '../labels/tsl.js';
import { type SpecialToken, type Tokenizer, trainTokenizer } from '../model/tokenizer.js';
import { IGNORE, type VlaFrame } from '../model/vla.js';
import type { FrameRecord, QaRow } from './lake-data.js';

export const STAGES = ['pretrain', 'align', 'cot-sft', 'cot-short', 'instruct'] as const;
export type StageName = (typeof STAGES)[number];

/** One training example: a frame, its text ids, and the target of each text position. */
export interface Example {
  readonly frame: VlaFrame;
  readonly tokens: readonly number[]; // (S,)
  readonly targets: readonly number[]; // (S,) tokens[i + 1] where that token carries loss, else IGNORE
}

export const QA_PACK_TOKENS = 64; // QA pairs are packed into sequences of at most this many text tokens

/** Share of driving examples laid out fast (no CoT), so `--mode fast` is in distribution, per stage. */
const FAST_SHARE: Record<StageName, number> = {
  pretrain: 0,
  align: 0,
  'cot-sft': 0.5,
  'cot-short': 0.5,
  instruct: 0.5,
};

/** Chance per frame of also replaying one packed QA sequence of it, so later stages keep the VQA skills. */
const QA_REPLAY: Record<StageName, number> = {
  pretrain: 0, // all QA already
  align: 0.25,
  'cot-sft': 0.25,
  'cot-short': 0.25,
  instruct: 0.25,
};

/**
 * The questions of what is in ego's path and what its light shows, which driving turns on. Pretraining gives every
 * frame a pack of these alone: packed among its 25 questions they were too rare a target, and the pretrained
 * teacher answered "none" to the lead of 113 of 116 held-out frames with a vehicle ahead (found 3 of the 59 within
 * 20 m); with a pack of their own (and twice the frames and steps) it found 45 of those 59.
 */
export const PATH_QA_KEYS: ReadonlySet<string> = new Set([
  LEAD_KEYS.kind,
  LEAD_KEYS.distance,
  LEAD_KEYS.speed,
  AHEAD_NOW_KEY,
  LIGHT_STATE_KEY,
]);

export const DEFAULT_VOCAB = 768; // special + 2 x 32 action + 256 byte tokens + ~440 merges of lake text

/** A byte-level BPE over the lake's corpus, with action spans sized by the lake's bins. */
export function lakeTokenizer(
  corpus: readonly string[],
  bins: ActionBins,
  vocabSize = DEFAULT_VOCAB,
): Tokenizer {
  return trainTokenizer(corpus, {
    vocabSize,
    longitudinalBins: bins.longitudinal.centres.length,
    lateralBins: bins.lateral.centres.length,
  });
}

/** A text span: its ids and whether predicting them carries loss. */
interface Span {
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

/** The 2H action bins as token ids: even positions longitudinal, odd lateral. */
export function actionIds(tok: Tokenizer, bins: readonly number[]): number[] {
  return bins.map((b, k) => (k % 2 === 0 ? tok.longitudinal(b) : tok.lateral(b)));
}

/** How a driving sequence is decoded: `think` writes the chain of thought first, `fast` goes straight to actions. */
export const DRIVE_MODES = ['fast', 'think'] as const;
export type DriveMode = (typeof DRIVE_MODES)[number];

/** The prompt of a driving sequence up to where the model takes over: `... <think>` or `... <act>`. */
export function drivingPrompt(tok: Tokenizer, instruction: string, mode: DriveMode): number[] {
  const sp = (t: SpecialToken) => tok.special(t);
  return [sp('<bos>'), sp('<instr>'), ...tok.encode(instruction), sp(mode === 'think' ? '<think>' : '<act>')];
}

function drivingExample(tok: Tokenizer, r: FrameRecord, instruction: string, cot: string | null): Example {
  const sp = (t: SpecialToken) => tok.special(t);
  const actions = [...actionIds(tok, r.actions!), sp('</act>'), sp('<eos>')];
  const spans: Span[] =
    cot === null
      ? [
          { ids: drivingPrompt(tok, instruction, 'fast'), loss: false },
          { ids: actions, loss: true },
        ]
      : [
          { ids: drivingPrompt(tok, instruction, 'think'), loss: false },
          { ids: [...tok.encode(cot), sp('</think>'), sp('<act>'), ...actions], loss: true },
        ];
  return assemble(r.frame, spans);
}

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

/**
 * The prompt that asks one question of a frame: `<bos> <q> question <ans>`; the answer follows and ends at the
 * next `<q>` or `<eos>` (decode with those as stop tokens).
 */
export function qaPrompt(tok: Tokenizer, question: string): number[] {
  return [tok.special('<bos>'), tok.special('<q>'), ...tok.encode(question), tok.special('<ans>')];
}

/** Packs QA pairs (in the given order) into sequences of at most QA_PACK_TOKENS; loss on the answers. */
function qaExamples(tok: Tokenizer, frame: VlaFrame, pairs: readonly QaRow[]): Example[] {
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

/** Examples of a stage from lake frames; `seed` draws the QA order and the fast/think layout. */
export function stageExamples(
  stage: StageName,
  tok: Tokenizer,
  records: readonly FrameRecord[],
  seed: number,
): Example[] {
  const rng = new Rng(seed);
  const out: Example[] = [];
  for (const r of records) {
    switch (stage) {
      case 'pretrain': {
        // the path pack, and the first pack of the other questions (each frame a different draw of them)
        const path = r.qa.filter((q) => PATH_QA_KEYS.has(q.key));
        const rest = r.qa.filter((q) => !PATH_QA_KEYS.has(q.key));
        out.push(...qaExamples(tok, r.frame, rng.shuffle(path)));
        out.push(...qaExamples(tok, r.frame, rng.shuffle(rest)).slice(0, 1));
        break;
      }
      case 'align': {
        const rules = r.cot ? ruleQa(r.cot.long) : [];
        out.push(
          ...qaExamples(tok, r.frame, rng.shuffle([...rules, ...r.qa.filter((q) => q.category === 'tsl')])),
        );
        break;
      }
      case 'cot-sft':
      case 'cot-short':
      case 'instruct': {
        if (!r.actions || !r.cot) continue;
        const fast = rng.chance(FAST_SHARE[stage]);
        const trace = stage === 'cot-sft' ? r.cot.long : r.cot.short;
        // instruct: on curated good cases the frame's own instruction half the time, the scenario's otherwise
        // (every frame stays in, so recoveries learnt from perturbed and on-policy clips are not forgotten)
        const instruction =
          stage === 'instruct' && r.good && rng.chance(0.5) ? r.instruction : r.scenarioInstruction;
        out.push(drivingExample(tok, r, instruction, fast ? null : trace));
        break;
      }
      default:
        throw new UsageError(`unknown stage ${stage satisfies never}`);
    }
    if (r.qa.length > 0 && rng.chance(QA_REPLAY[stage])) {
      const [replay] = qaExamples(tok, r.frame, rng.shuffle([...r.qa]));
      if (replay) out.push(replay);
    }
  }
  return out;
}
