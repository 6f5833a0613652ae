// The VLA's tokenizer: byte-level BPE trained on the lake's text, plus special and action tokens at fixed ids.
// Not the action-token bins (labels/action-tokens.ts decides what a bin means); this only names their ids.
//
// Vocabulary layout, in id order (stable, so masks over a span are a range test):
//   [special tokens][longitudinal action tokens][lateral action tokens][256 byte tokens][learned merges]

import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig, parseConfig } from '../core/config.js';
import { InputError, UsageError } from '../core/errors.js';

export const SPECIAL_TOKENS = [
  '<pad>',
  '<bos>',
  '<eos>',
  '<img>', // one per image patch position; the patch embedding replaces its vector
  '<bev>', // one per BEV patch position
  '<instr>', // starts the instruction span
  '<q>', // starts a question (pre-training VQA)
  '<ans>', // starts its answer
  '<think>',
  '</think>',
  '<act>',
  '</act>',
] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

const TOKENIZER_FORMAT = 'drivefm-bpe-1';
const BYTE_COUNT = 256;

/** Splits text into pre-tokens: words with their leading space, single digits, punctuation runs, spaces. */
export const PRE_TOKEN = / ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]+|\s+/g;

const fileSchema = z.strictObject({
  format: z.literal(TOKENIZER_FORMAT),
  longitudinalBins: z.number().int().min(1),
  lateralBins: z.number().int().min(1),
  merges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});

export interface TokenizerSpec {
  readonly longitudinalBins: number;
  readonly lateralBins: number;
  /** Learned merges in rank order: each joins two existing token ids into the next new id. */
  readonly merges: readonly (readonly [number, number])[];
}

export class Tokenizer {
  readonly spec: TokenizerSpec;
  readonly vocabSize: number;
  /** First id of the longitudinal action span; lateral follows it. */
  readonly longitudinalStart: number;
  readonly lateralStart: number;
  readonly byteStart: number;
  private readonly mergeRank = new Map<number, number>(); // pair key -> rank
  private readonly tokenBytes: Uint8Array[]; // id -> the bytes it stands for (empty for special/action tokens)
  private readonly wordCache = new Map<string, readonly number[]>();

  constructor(spec: TokenizerSpec) {
    this.spec = spec;
    this.longitudinalStart = SPECIAL_TOKENS.length;
    this.lateralStart = this.longitudinalStart + spec.longitudinalBins;
    this.byteStart = this.lateralStart + spec.lateralBins;
    const firstMergeId = this.byteStart + BYTE_COUNT;
    this.vocabSize = firstMergeId + spec.merges.length;
    this.tokenBytes = Array.from({ length: this.vocabSize }, (_, id) =>
      id >= this.byteStart && id < firstMergeId ? Uint8Array.of(id - this.byteStart) : new Uint8Array(0),
    );
    spec.merges.forEach(([left, right], rank) => {
      const id = firstMergeId + rank;
      if (left >= id || right >= id || left < this.byteStart || right < this.byteStart) {
        throw new UsageError(`merge ${rank} joins ids ${left}, ${right}: not earlier text tokens than ${id}`);
      }
      this.mergeRank.set(pairKey(left, right), rank);
      this.tokenBytes[id] = concatBytes(this.tokenBytes[left]!, this.tokenBytes[right]!);
    });
  }

  /** The id of a special token. */
  special(token: SpecialToken): number {
    return SPECIAL_TOKENS.indexOf(token);
  }

  longitudinal(bin: number): number {
    return this.actionId(bin, this.spec.longitudinalBins, this.longitudinalStart, 'longitudinal');
  }

  lateral(bin: number): number {
    return this.actionId(bin, this.spec.lateralBins, this.lateralStart, 'lateral');
  }

  /** Which action span an id falls in, with its bin; null for any other token. */
  actionBin(id: number): { readonly axis: 'longitudinal' | 'lateral'; readonly bin: number } | null {
    if (id >= this.longitudinalStart && id < this.lateralStart) {
      return { axis: 'longitudinal', bin: id - this.longitudinalStart };
    }
    if (id >= this.lateralStart && id < this.byteStart)
      return { axis: 'lateral', bin: id - this.lateralStart };
    return null;
  }

  /** Text to ids; special-token spellings inside the text are plain text, never special ids. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of text.match(PRE_TOKEN) ?? []) ids.push(...this.encodeWord(piece));
    return ids;
  }

  /** Ids to text; special and action tokens are written as their names (e.g. `<think>`, `<lon_3>`). */
  decode(ids: readonly number[]): string {
    const parts: string[] = [];
    let pending: number[] = [];
    const flush = () => {
      parts.push(Buffer.from(pending).toString('utf8'));
      pending = [];
    };
    for (const id of ids) {
      if (id < 0 || id >= this.vocabSize)
        throw new UsageError(`token id ${id} outside vocabulary of ${this.vocabSize}`);
      if (id >= this.byteStart) {
        for (const byte of this.tokenBytes[id]!) pending.push(byte);
        continue;
      }
      flush();
      const action = this.actionBin(id);
      parts.push(
        action ? `<${action.axis === 'longitudinal' ? 'lon' : 'lat'}_${action.bin}>` : SPECIAL_TOKENS[id]!,
      );
    }
    flush();
    return parts.join('');
  }

  toJSON(): z.infer<typeof fileSchema> {
    const { longitudinalBins, lateralBins, merges } = this.spec;
    return {
      format: TOKENIZER_FORMAT,
      longitudinalBins,
      lateralBins,
      merges: merges.map(([a, b]) => [a, b]),
    };
  }

  save(path: string): void {
    writeFileAtomic(path, `${JSON.stringify(this.toJSON())}\n`);
  }

  static load(path: string): Tokenizer {
    return Tokenizer.checked(loadJsonConfig(fileSchema, path), path, []);
  }

  /** A tokenizer from parsed JSON (`toJSON()`'s shape) found at `at` in `file` (a vehicle file's metadata). */
  static fromJSON(value: unknown, file: string, at: readonly PropertyKey[] = []): Tokenizer {
    return Tokenizer.checked(parseConfig(fileSchema, value, file, at), file, at);
  }

  private static checked(spec: TokenizerSpec, file: string, at: readonly PropertyKey[]): Tokenizer {
    try {
      return new Tokenizer(spec);
    } catch (cause) {
      const field = [...at, 'merges'].map(String).join('.');
      throw new InputError({ file, field, message: (cause as Error).message, cause });
    }
  }

  private actionId(bin: number, bins: number, start: number, axis: string): number {
    if (!Number.isInteger(bin) || bin < 0 || bin >= bins)
      throw new UsageError(`${axis} bin ${bin} outside [0, ${bins})`);
    return start + bin;
  }

  private encodeWord(word: string): readonly number[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const ids = applyMerges(
      Array.from(Buffer.from(word, 'utf8'), (byte) => this.byteStart + byte),
      this.mergeRank,
      this.byteStart + BYTE_COUNT,
    );
    this.wordCache.set(word, ids);
    return ids;
  }
}

export interface TrainTokenizerOptions {
  /** Total vocabulary size wanted, special, action and byte tokens included. */
  readonly vocabSize: number;
  readonly longitudinalBins: number;
  readonly lateralBins: number;
  /** Pairs seen fewer times than this are never merged. */
  readonly minPairCount?: number;
}

/**
 * Learns BPE merges from a corpus: repeatedly joins the most frequent adjacent pair of tokens inside words.
 * Ties break on the smaller pair key, so the result depends only on the corpus, never on Map order.
 */
export function trainTokenizer(corpus: Iterable<string>, options: TrainTokenizerOptions): Tokenizer {
  const { longitudinalBins, lateralBins } = options;
  const base = new Tokenizer({ longitudinalBins, lateralBins, merges: [] });
  const minPairCount = options.minPairCount ?? 2;
  const wanted = options.vocabSize - base.vocabSize;
  if (wanted < 0) {
    throw new UsageError(`vocabSize ${options.vocabSize} is below the ${base.vocabSize} fixed tokens`);
  }
  const wordCounts = new Map<string, number>();
  for (const text of corpus) {
    for (const piece of text.match(PRE_TOKEN) ?? []) wordCounts.set(piece, (wordCounts.get(piece) ?? 0) + 1);
  }
  const words = [...wordCounts.keys()].sort();
  const counts = words.map((word) => wordCounts.get(word)!);
  const sequences = words.map((word) =>
    Array.from(Buffer.from(word, 'utf8'), (byte) => base.byteStart + byte),
  );
  const merges: [number, number][] = [];
  let nextId = base.vocabSize;
  while (merges.length < wanted) {
    const pairCounts = new Map<number, number>();
    sequences.forEach((ids, w) => {
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = pairKey(ids[i]!, ids[i + 1]!);
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + counts[w]!);
      }
    });
    let bestKey = -1;
    let bestCount = minPairCount - 1;
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && bestKey >= 0 && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (bestKey < 0) break; // nothing frequent enough is left to merge
    const pair = unpairKey(bestKey);
    merges.push(pair);
    for (let w = 0; w < sequences.length; w++) sequences[w] = mergePair(sequences[w]!, pair, nextId);
    nextId++;
  }
  return new Tokenizer({ longitudinalBins, lateralBins, merges });
}

// Pair keys pack two ids below 2^21 into one safe integer.
const PAIR_SHIFT = 2 ** 21;
const pairKey = (left: number, right: number): number => left * PAIR_SHIFT + right;
const unpairKey = (key: number): [number, number] => [Math.floor(key / PAIR_SHIFT), key % PAIR_SHIFT];

function mergePair(ids: readonly number[], [left, right]: readonly [number, number], id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === left && ids[i + 1] === right) {
      out.push(id);
      i++;
    } else {
      out.push(ids[i]!);
    }
  }
  return out;
}

/** Applies learned merges to one word, lowest rank first, as BPE encoding does. */
function applyMerges(ids: number[], ranks: ReadonlyMap<number, number>, firstMergeId: number): number[] {
  for (;;) {
    let bestRank = Number.POSITIVE_INFINITY;
    let bestAt = -1;
    for (let i = 0; i + 1 < ids.length; i++) {
      const rank = ranks.get(pairKey(ids[i]!, ids[i + 1]!));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        bestAt = i;
      }
    }
    if (bestAt < 0) return ids;
    ids = mergePair(ids, [ids[bestAt]!, ids[bestAt + 1]!], firstMergeId + bestRank);
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
