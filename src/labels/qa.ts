// Question/answer text for language pre-training: the record type, seeded choice of phrasing, answer formats.
// Not the facts themselves: each label category computes its structured row and phrases it with these helpers.

import { hash32 } from '../core/rng.js';

export const LABEL_CATEGORIES = ['static', 'dynamic', 'trajectory', 'occupancy', 'tsl', 'tfl'] as const;
export type LabelCategory = (typeof LABEL_CATEGORIES)[number];

/** One question with a short answer that can be scored by exact match. */
export interface QaPair {
  readonly category: LabelCategory;
  readonly key: string; // which fact is asked (stable across phrasings), e.g. 'light_state'
  readonly question: string;
  readonly answer: string;
}

/** Picks one phrasing deterministically from the frame seed and the fact's key. */
export function phrase(templates: readonly string[], seed: number, key: string): string {
  let h = hash32(seed);
  for (let i = 0; i < key.length; i++) h = hash32(h ^ key.charCodeAt(i));
  return templates[h % templates.length]!;
}

/** Rounded to a whole number, never "-0". */
export function whole(v: number): number {
  return Math.round(v) || 0;
}

/** A distance as scored answers give it: whole metres, e.g. "18 m". */
export function metres(d: number): string {
  return `${whole(d)} m`;
}

/** A speed in whole metres per second, e.g. "12 m/s". */
export function metresPerSecond(v: number): string {
  return `${whole(v)} m/s`;
}

/** A time in whole seconds, e.g. "4 s". */
export function seconds(t: number): string {
  return `${whole(t)} s`;
}

/** A point in ego's frame in words, e.g. "31 m ahead, 2 m left" (negative ahead reads "behind"). */
export function egoPlace(forward: number, left: number): string {
  const along = whole(forward) >= 0 ? `${whole(forward)} m ahead` : `${-whole(forward)} m behind`;
  const side = whole(left) >= 0 ? `${whole(left)} m left` : `${-whole(left)} m right`;
  return `${along}, ${side}`;
}

/** One fact to ask about: its key, several phrasings of the question, and the answer. */
export type Fact = readonly [key: string, questions: readonly string[], answer: string];

/** The QA pairs of a category's facts, one phrasing each, chosen by `seed`. */
export function askAll(category: LabelCategory, seed: number, facts: readonly Fact[]): QaPair[] {
  return facts.map(([key, questions, answer]) => ({
    category,
    key,
    question: phrase(questions, seed, key),
    answer,
  }));
}
