// The prompt layout the model is trained on and driven with: the driving modes, the driving and QA prompts and the
// action span's token ids. Not the training examples' loss masks (train/sequences.ts) nor decoding (model/vla.ts).

import type { SpecialToken, Tokenizer } from './tokenizer.js';

/** How a driving sequence is decoded: `think` writes the chain of thought first, `fast` goes straight to actions. */
export const DRIVE_MODES = ['fast', 'think'] as const;
export type DriveMode = (typeof DRIVE_MODES)[number];

/** What a driving prompt ends with, so the model takes over with reasoning or with actions. */
const MODE_OPENER: Record<DriveMode, SpecialToken> = { think: '<think>', fast: '<act>' };

/** The prompt of a driving sequence up to where the model takes over: `... <think>` or `... <act>`. */
export function drivingPrompt(tok: Tokenizer, instruction: string, mode: DriveMode): number[] {
  return [
    tok.special('<bos>'),
    tok.special('<instr>'),
    ...tok.encode(instruction),
    tok.special(MODE_OPENER[mode]),
  ];
}

/**
 * The prompt that asks one question of a frame: `<bos> <q> question <ans>`; the answer follows and ends at the
 * next `<q>` or `<eos>` (decode with those as stop tokens).
 */
export function qaPrompt(tok: Tokenizer, question: string): number[] {
  return [tok.special('<bos>'), tok.special('<q>'), ...tok.encode(question), tok.special('<ans>')];
}

/** The 2H action bins as token ids: even positions longitudinal, odd lateral. */
export function actionIds(tok: Tokenizer, bins: readonly number[]): number[] {
  return bins.map((b, k) => (k % 2 === 0 ? tok.longitudinal(b) : tok.lateral(b)));
}
