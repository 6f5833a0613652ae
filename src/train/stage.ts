// What a training stage is: an offline one (which lake frames it reads, how it turns each into examples, the
// objective the loop trains) or an online one (it samples from the model as it trains: RL); where either starts.
// Not any stage in particular (stages/*.ts) nor the registry.

import type { Rng } from '../core/rng.js';
import type { LakeFrame } from '../data/frames.js';
import type { Feeds } from '../engine/engine.js';
import type { Graph } from '../engine/graph.js';
import type { Tensor } from '../engine/types.js';
import type { ModelCheckpoint, StageRecord } from '../model/checkpoint.js';
import type { VlaConfig } from '../model/config.js';
import type { Tokenizer } from '../model/tokenizer.js';
import type { Recipe } from './recipe.js';
import type { Example } from './sequences.js';

/** The loss a stage trains and the feeds of its inputs for a batch of examples. */
export interface Objective {
  /** The loss of B examples at text length S, declared on `g` (parameters and inputs). */
  loss(g: Graph, config: VlaConfig, vocab: number, batch: number, text: number): Tensor;
  /** The loss graph's inputs for these examples (B of them) at text length S. */
  feeds(config: VlaConfig, batch: readonly Example[], text: number): Feeds;
}

/** A frozen teacher in the student's graph: its architecture and vocabulary (its params are fed under TEACHER_SCOPE). */
export interface Teacher {
  readonly config: VlaConfig;
  readonly vocab: number;
}

/** How a taught stage weighs its teacher (the recipe's `compress.distil`). */
export interface DistilSettings {
  readonly temperature: number; // both distributions are softened by this before the KL
  readonly mix: number; // share of the loss that is the KL to the teacher; the rest is the ground truth's CE
}

/** How a taught stage's teacher is named and held in the graph: frozen, every param prefixed. */
export const TEACHER_SCOPE = { prefix: 'teacher/', frozen: true } as const;

/** A stage that learns from fixed examples of lake frames, through the training loop (loop.ts). */
export interface OfflineStage {
  readonly kind: 'offline';
  readonly name: string;
  /** Without a previous checkpoint it starts a fresh model with a tokenizer of the lake; otherwise it needs one. */
  readonly startsFresh: boolean;
  /** Which lake frames it reads: markGood sets each frame's `good` (curated good cases). */
  readonly reads: { readonly markGood: boolean };
  /** Chance per used frame of also replaying one packed QA sequence of it, so the VQA skills are kept. */
  readonly qaReplay: number;
  /** A frame's examples (drawing from `rng` in a fixed order), or null when the stage does not use the frame. */
  frameExamples(tok: Tokenizer, frame: LakeFrame, rng: Rng): readonly Example[] | null;
  readonly objective: Objective;
  /**
   * Set on a stage that learns from a frozen teacher (distillation): run-stage then needs a teacher checkpoint
   * and trains this objective instead of `objective` (the expert's ground truth alone).
   */
  readonly taught?: (teacher: Teacher, settings: DistilSettings) => Objective;
}

/** What an online stage is given: its start, its recipe (overrides applied) and where to keep its resume state. */
export interface OnlineContext {
  readonly start: ModelCheckpoint; // the checkpoint it starts from (--from): the policy's start and its reference
  readonly recipe: Recipe;
  readonly lake: string; // run folder
  readonly out: string; // the checkpoint folder being written (its resume/ state lives there)
  readonly run: string; // what must be equal for a resume state to be resumed
  readonly seed: number;
  readonly quiet?: boolean;
  readonly stopAfter?: number; // tests: stop after this step as a kill would (LoopStopped)
}

/** What an online stage trained: the new params and its record (with its curve) for the checkpoint. */
export interface OnlineResult {
  readonly params: Map<string, Float32Array>;
  readonly record: StageRecord;
  readonly secondsPerStep: number; // [s]
  readonly resumedAt: number; // the step a resumed run went on from; 0 when it started afresh
  readonly losses: readonly number[]; // (steps,)
}

/** A stage that samples from the model it trains and learns from the samples' rewards (RL, train/rl/). */
export interface OnlineStage {
  readonly kind: 'online';
  readonly name: string;
  readonly startsFresh: false; // it needs --from a checkpoint to sample from
  train(ctx: OnlineContext): Promise<OnlineResult>;
}

export type Stage = OfflineStage | OnlineStage;
