// The VLA as a simulator Driver: every 0.5 s it renders the sensors, prompts the model (think: CoT first; fast:
// actions at once), decodes 16 action tokens and holds the first plan step's controls until the next replan (by
// default a cautious reading of its two tokens' distributions: see ControlRule).
// Not training, not scoring (eval/), and not the vehicle ONNX export (compress/).

import { UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { egoKinematics } from '../data/ego-kinematics.js';
import type { HostTensor } from '../engine/engine.js';
import { rollControls, tokenControls } from '../labels/action-tokens.js';
import { loadModelCheckpoint, type ModelCheckpoint } from '../model/checkpoint.js';
import { CachedScorer } from '../model/kv-cache.js';
import { type DriveMode, drivingPrompt } from '../model/prompt.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { type DecodeOptions, decoding, maxText, type VlaFrame, VlaModel } from '../model/vla.js';
import { observe } from '../sensors/index.js';
import {
  type Driver,
  type DriverOutput,
  DT,
  type EgoAction,
  type Scenario,
  type WorldState,
} from '../sim/types.js';

export type { DriveMode };

export interface ModelDriverOptions {
  readonly mode: DriveMode;
  readonly seed?: number; // sampling stream, reset each episode (default 0)
  readonly temperature?: number; // default 0: greedy, the same plan for the same input
  readonly maxCot?: number; // [tokens] reasoning budget in think mode (default 48)
  readonly instruction?: string; // overrides the scenario's instruction
  readonly threads?: number; // onnxruntime threads (default 2)
  readonly control?: ControlRule; // default DEFAULT_CONTROL
  readonly caution?: number; // the 'cautious' rule's share of the acceleration belief at speed, in (0, 1] (DEFAULT_CAUTION)
}

/**
 * How the first plan step's two tokens become the controls held until the next replan:
 * - 'cautious' (default): the acceleration is the mean of the lowest share of the model's belief over the
 *   longitudinal bins (its expected shortfall): `caution` at FULL_CAUTION_SPEED and above, rising linearly to the
 *   whole belief (the expectation) at standstill. When the model gives braking a fair chance at speed, the car
 *   brakes: a collision ends an episode, a slower run only costs progress. Near standstill a bold reading costs
 *   little (the car stops within a metre or two) and a cautious one never starts again. The curvature is the
 *   median of the lateral belief: between "change lane" and "keep lane" it picks a side instead of drifting
 *   half-way, which breaks lane keeping.
 * - 'mean': the expectation of both axes. Over fine bins the belief is spread and often two-humped (keep going or
 *   brake hard): its mean brakes gently where either hump would do better.
 * - 'mode': the decoded tokens' bins; the mode flickers between neighbouring bins and ignores a 30% chance of
 *   braking hard.
 */
export const CONTROL_RULES = ['cautious', 'mean', 'mode'] as const;
export type ControlRule = (typeof CONTROL_RULES)[number];
export const DEFAULT_CONTROL: ControlRule = 'cautious';
export const DEFAULT_CAUTION = 0.5; // share of the acceleration belief the cautious rule averages at speed
export const FULL_CAUTION_SPEED = 5; // [m/s] from this speed on the cautious rule averages the `caution` share

const DEFAULT_MAX_COT = 48; // [tokens] the long traces of the lake fit in ~40
const ACT_TOKENS_AFTER_COT = 2; // </think> <act> when the model has to be cut off

/** What the driver did at its last replan, for logs and the dashboard. */
export interface Replan {
  readonly step: number;
  readonly reasoning: string; // the decoded CoT ('' in fast mode)
  readonly bins: Int32Array; // (2H,) interleaved longitudinal, lateral
  readonly entropy: number; // [nats] mean entropy of the 2H action-token distributions, each over its axis's bins
  readonly seconds: number; // [s] wall time of the replan
}

/** Drives decoding synchronously: `score(ids)` returns the logits (V) after the ids. */
function decodeSync(
  prompt: readonly number[],
  vocab: number,
  maxLength: number,
  o: DecodeOptions,
  score: (ids: readonly number[]) => Float32Array,
): number[] {
  const steps = decoding(prompt, vocab, maxLength, o);
  let next = steps.next();
  while (!next.done) next = steps.next(score(next.value));
  return next.value;
}

export class ModelDriver implements Driver {
  readonly name: string;
  private readonly replanEvery: number; // [steps] a plan step of the bins
  private readonly scorer: CachedScorer;
  private readonly control: ControlRule;
  private readonly caution: number; // the 'cautious' rule's share of the acceleration belief at speed
  private rng: Rng;
  private action: EgoAction = { accel: 0, curvature: 0 };
  private history: Replan[] = [];

  constructor(
    private readonly ckpt: ModelCheckpoint,
    private readonly options: ModelDriverOptions,
  ) {
    this.control = options.control ?? DEFAULT_CONTROL;
    this.caution = options.caution ?? DEFAULT_CAUTION;
    if (!(this.caution > 0 && this.caution <= 1)) {
      throw new UsageError(`caution must be in (0, 1], got ${this.caution}`);
    }
    const { config, tokenizer, bins } = ckpt;
    this.name = `vla-${ckpt.preset}-${options.mode}`;
    this.replanEvery = Math.round(bins.stepSeconds / DT);
    const model = new VlaModel(config, tokenizer.vocabSize, ckpt.params); // checks the params' shapes
    const weights = new Map<string, HostTensor>(Object.entries(model.paramFeeds));
    this.scorer = new CachedScorer(config, tokenizer.vocabSize, weights, options.threads ?? 2);
    this.rng = new Rng(options.seed ?? 0);
  }

  get replans(): readonly Replan[] {
    return this.history;
  }

  reset(_scenario: Scenario): void {
    this.rng = new Rng(this.options.seed ?? 0);
    this.action = { accel: 0, curvature: 0 };
    this.history = [];
  }

  act(scenario: Scenario, state: WorldState): DriverOutput {
    if (state.step % this.replanEvery !== 0 && this.history.length > 0) return { action: this.action };
    const started = performance.now();
    const { bins, reasoning, fromBelief, entropy } = this.plan(
      senseFrame(scenario, state),
      this.options.instruction ?? scenario.instruction,
    );
    const controls = tokenControls(this.ckpt.bins, bins); // (H, 2)
    this.action = this.control === 'mode' ? { accel: controls[0]!, curvature: controls[1]! } : fromBelief;
    const plan = plannedPositions(state, controls, this.ckpt.bins.stepSeconds);
    this.history.push({
      step: state.step,
      reasoning,
      bins,
      entropy,
      seconds: (performance.now() - started) / 1000,
    });
    return { action: this.action, plan };
  }

  /**
   * Decodes a plan for one frame with the KV cache: (2H,) bins, the reasoning that preceded them, and the controls
   * the 'mean' or 'cautious' rule reads off the first plan step's distributions, and the mean entropy [nats] of
   * the action tokens' distributions (the model's confidence).
   */
  plan(
    frame: VlaFrame,
    instruction: string,
  ): { bins: Int32Array; reasoning: string; fromBelief: EgoAction; entropy: number } {
    const tok = this.ckpt.tokenizer;
    const V = tok.vocabSize;
    const limit = maxText(this.ckpt.config);
    const actionCount = 2 * this.ckpt.bins.steps;
    this.scorer.reset(frame);
    const score = (ids: readonly number[]) => this.scorer.score(ids);
    const sampling = { temperature: this.options.temperature ?? 0, rng: this.rng };
    const prompt = drivingPrompt(tok, instruction, this.options.mode);
    const room = limit - prompt.length - actionCount - ACT_TOKENS_AFTER_COT; // [tokens] left for reasoning
    if (room < 0) throw new UsageError(`instruction of ${prompt.length} tokens leaves no room for a plan`);
    let ids = prompt;
    let reasoning = '';
    if (this.options.mode === 'think') {
      const budget = Math.min(this.options.maxCot ?? DEFAULT_MAX_COT, room);
      const end = tok.special('</think>');
      const cot = decodeSync(prompt, V, limit, { ...sampling, maxNew: budget, stop: new Set([end]) }, score);
      // The sequence goes on from what was decoded (the cache holds it), closed by </think> if the budget ran out;
      // only the trace's text is reported as reasoning.
      reasoning = tok.decode(cot.filter((id) => id >= tok.byteStart));
      ids = [...prompt, ...cot, ...(cot.at(-1) === end ? [] : [end]), tok.special('<act>')];
    }
    const first: Float32Array[] = []; // logits before the first plan step's two tokens
    let entropySum = 0; // [nats] over the action tokens decoded so far
    let scored = 0;
    const actions = decodeSync(
      ids,
      V,
      limit,
      { ...sampling, maxNew: actionCount, allowed: (k) => actionSpan(tok, k) },
      (prefix) => {
        const logits = score(prefix);
        if (first.length < 2) first.push(logits.slice());
        entropySum += entropyOf(belief(logits, actionSpan(tok, scored++)));
        return logits;
      },
    );
    const bins = Int32Array.from(actions, (id) => tok.actionBin(id)!.bin);
    const [lon, lat] = first as [Float32Array, Float32Array];
    const { longitudinal, lateral } = this.ckpt.bins;
    const cautious = this.control === 'cautious';
    const fromBelief = {
      accel: lowerMean(
        lon,
        actionSpan(tok, 0),
        longitudinal.centres,
        cautious ? cautionAt(frame.ego.speed, this.caution) : 1,
      ),
      curvature: cautious
        ? quantileCentre(lat, actionSpan(tok, 1), lateral.centres, 0.5)
        : lowerMean(lat, actionSpan(tok, 1), lateral.centres),
    };
    return { bins, reasoning, fromBelief, entropy: entropySum / scored };
  }

  /** The ids the model decodes after `prompt` on one frame (a question's answer, a trace), with the cache. */
  generate(frame: VlaFrame, prompt: readonly number[], o: DecodeOptions): number[] {
    this.scorer.reset(frame);
    const limit = maxText(this.ckpt.config);
    return decodeSync(prompt, this.ckpt.tokenizer.vocabSize, limit, o, (ids) => this.scorer.score(ids));
  }

  /** The checkpoint it drives with: tokenizer and action bins for callers that prompt it. */
  get checkpoint(): ModelCheckpoint {
    return this.ckpt;
  }

  /** Ends the onnxruntime worker threads (one per session); a driver must be disposed once done with. */
  async dispose(): Promise<void> {
    await this.scorer.dispose();
  }
}

/** The id range of plan token k: even positions are longitudinal tokens, odd ones lateral. */
export function actionSpan(tok: Tokenizer, k: number): readonly [number, number] {
  return k % 2 === 0 ? [tok.longitudinalStart, tok.lateralStart] : [tok.lateralStart, tok.byteStart];
}

/** What the model sees of `state`: the rendered camera and BEV and ego's state. */
export function senseFrame(scenario: Scenario, state: WorldState): VlaFrame {
  const seen = observe(scenario, state);
  return { camera: seen.camera, bev: seen.bev, ego: seen.ego };
}

/** The (H, 2) positions [m] that (H, 2) controls held `stepSeconds` each drive ego to from `state`. */
export function plannedPositions(
  state: WorldState,
  controls: Float64Array,
  stepSeconds: number,
): Float32Array {
  const a = state.agents;
  const pose = { x: a.x[0]!, y: a.y[0]!, heading: a.heading[0]!, speed: a.speed[0]! };
  const poses = rollControls(egoKinematics, pose, controls, stepSeconds);
  return Float32Array.from(poses.flatMap((p) => [p.x, p.y])); // (H, 2)
}

/** A driver for the model in `checkpointDir` (a folder `drivefm train` wrote). */
export function loadModelDriver(checkpointDir: string, options: ModelDriverOptions): ModelDriver {
  return new ModelDriver(loadModelCheckpoint(checkpointDir), options);
}

/**
 * The share of the acceleration belief the cautious rule averages at `speed` [m/s]: `caution` from
 * FULL_CAUTION_SPEED on, rising linearly to 1 (the expectation) at standstill.
 */
export function cautionAt(speed: number, caution: number): number {
  return 1 - (1 - caution) * Math.min(1, Math.max(0, speed) / FULL_CAUTION_SPEED);
}

/** The softmax of `logits` over the id range `span` (one axis's tokens): (hi - lo,) probabilities. */
function belief(logits: Float32Array, span: readonly [number, number]): Float64Array {
  const [lo, hi] = span;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = lo; i < hi; i++) max = Math.max(max, logits[i]!);
  const p = new Float64Array(hi - lo);
  let sum = 0;
  for (let i = lo; i < hi; i++) sum += p[i - lo] = Math.exp(logits[i]! - max);
  for (let b = 0; b < p.length; b++) p[b]! /= sum;
  return p;
}

/** The entropy [nats] of a probability vector. */
function entropyOf(p: Float64Array): number {
  let h = 0;
  for (const q of p) if (q > 0) h -= q * Math.log(q);
  return h;
}

/**
 * The mean of bin centres (ascending) over the lowest `share` of the probability mass the belief over `span`
 * puts on them; share 1: the expectation, share q < 1: the expected shortfall at q, the bin straddling q counted
 * in part.
 */
export function lowerMean(
  logits: Float32Array,
  span: readonly [number, number],
  centres: Float64Array,
  share = 1,
): number {
  const p = belief(logits, span);
  let taken = 0; // probability mass averaged so far
  let weighted = 0;
  for (let b = 0; b < p.length && taken < share; b++) {
    const mass = Math.min(p[b]!, share - taken);
    taken += mass;
    weighted += mass * centres[b]!;
  }
  return weighted / taken;
}

/** The centre of the bin (centres ascending) where the belief over `span` first reaches cumulative mass `q`. */
export function quantileCentre(
  logits: Float32Array,
  span: readonly [number, number],
  centres: Float64Array,
  q: number,
): number {
  const p = belief(logits, span);
  let cumulative = 0;
  for (let b = 0; b < p.length; b++) {
    cumulative += p[b]!;
    if (cumulative >= q) return centres[b]!;
  }
  return centres[p.length - 1]!; // rounding left the total a hair under q
}
