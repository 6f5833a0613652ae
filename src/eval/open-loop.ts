// Open-loop evaluation of a VLA checkpoint on held-out lake frames: QA accuracy per label category (with the
// traffic-light state read from pixels on its own), action-token accuracy and the plan's L2 error against the
// expert's, instruction adherence, CoT token accuracy (teacher forced) and the length of the CoT the model
// writes. Not closed-loop driving (closed-loop.ts).

import { wrapAngle } from '../core/angle.js';
import { startProgress } from '../core/progress.js';
import { egoKinematics } from '../data/ego-kinematics.js';
import { type LakeFrame, type QaRow, readFrames } from '../data/frames.js';
import { LakeReader } from '../data/lake-reader.js';
import type { ActionBins } from '../labels/action-bins.js';
import { decodeActionTokens, tokenControls } from '../labels/action-tokens.js';
import { decisionOf } from '../labels/cot.js';
import { type BehaviourInstruction, behaviourOf } from '../labels/instructions.js';
import { LIGHT_STATE_KEY, NO_LIGHT } from '../labels/tsl.js';
import { loadModelCheckpoint, modelOf } from '../model/checkpoint.js';
import { actionIds, drivingPrompt, qaPrompt } from '../model/prompt.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { pick, type VlaModel } from '../model/vla.js';
import { actionSpan } from '../policy/model-driver.js';
import type { BootstrapOptions } from './bootstrap.js';
import { type OpenLoopPlans, type PlannedFrame, scoreOpenLoopPlans } from './open-loop-plans.js';

export interface OpenLoopOptions {
  readonly frames?: number; // held-out frames for QA, plans and CoT (default 24)
  /**
   * Held-out frames for instruction adherence and the light's state (default 96, at least `frames`): one fast plan
   * a frame, and one question where a light governs ego, cheap; what instruct changes is a few behaviours' share,
   * and a light is in view in about a quarter of the frames, which 24 frames cannot resolve.
   */
  readonly adherenceFrames?: number;
  readonly split?: 'val' | 'test'; // default val
  readonly seed?: number;
  readonly maxCot?: number; // [tokens] the longest CoT decoded (default 64)
  readonly bootstrap?: BootstrapOptions; // of the plan scores' 95% intervals
  readonly quiet?: boolean; // no progress on stderr
}

export interface Accuracy {
  readonly n: number;
  readonly accuracy: number; // in [0, 1]; 0 when n = 0
}

export interface OpenLoopResult {
  readonly frames: number; // scored for QA, plans and CoT; adherence and the light's state count their own
  readonly qa: Readonly<Record<string, Accuracy>>; // by label category
  readonly lightState: Accuracy; // "what colour is your light?" from the camera and BEV pixels, where a light governs ego
  readonly actionTokens: Accuracy; // fast mode, greedy, per token
  readonly l2: { readonly mean: number; readonly at4s: number }; // [m] plan vs expert, over 8 points / at 4 s
  /** Fast plans prompted with the frame's own instruction that show the behaviour it asks for, by behaviour. */
  readonly adherence: Readonly<Record<string, Accuracy>>;
  readonly cotTokens: Accuracy; // teacher-forced argmax over the long trace
  readonly cotLength: number; // [tokens] mean length of the CoT the model writes in think mode
  /** The fast plans of the `frames` frames scored by the plan scorer (PDMS, EPDMS, sub-metrics), the expert's beside. */
  readonly plans: OpenLoopPlans;
}

const ANSWER_TOKENS = 12; // [tokens] the longest answer decoded

/**
 * One question per label category of a frame: the light's state for TSL (read from pixels), otherwise the
 * categories' questions in turn across frames, so every key is asked somewhere.
 */
function questionsOf(r: LakeFrame, index: number): QaRow[] {
  const byCategory = new Map<string, QaRow[]>();
  for (const pair of r.qa) byCategory.set(pair.category, [...(byCategory.get(pair.category) ?? []), pair]);
  return [...byCategory.values()].map(
    (pairs) => pairs.find((p) => p.key === LIGHT_STATE_KEY) ?? pairs[index % pairs.length],
  );
}

class Tally {
  n = 0;
  hits = 0;
  add(hit: boolean): void {
    this.n++;
    if (hit) this.hits++;
  }
  get result(): Accuracy {
    return { n: this.n, accuracy: this.n > 0 ? this.hits / this.n : 0 };
  }
}

/** Evaluates the checkpoint in `checkpointDir` on the held-out frames of the lake under `run`. */
export async function evaluateOpenLoop(
  checkpointDir: string,
  run: string,
  o: OpenLoopOptions = {},
): Promise<OpenLoopResult> {
  const ckpt = loadModelCheckpoint(checkpointDir);
  const model = modelOf(ckpt);
  const lake = await LakeReader.open(run);
  try {
    const frames = o.frames ?? 24;
    const records = await readFrames(lake, {
      maxFrames: Math.max(frames, o.adherenceFrames ?? 96),
      seed: o.seed ?? 0,
      split: o.split ?? 'val',
    });
    const planned: PlannedFrame[] = [];
    const result = await scoreFrames(model, ckpt.tokenizer, ckpt.bins, records, frames, o, planned);
    return { ...result, plans: await scoreOpenLoopPlans(lake, planned, ckpt.bins, o.bootstrap) };
  } finally {
    await model.dispose();
    await lake.close();
  }
}

async function scoreFrames(
  model: VlaModel,
  tok: Tokenizer,
  bins: ActionBins,
  records: readonly LakeFrame[],
  frames: number, // the first this many records are scored on everything, the rest on adherence only
  o: OpenLoopOptions,
  fastPlans: PlannedFrame[], // each scored frame's fast plan is pushed here, for the plan scorer
): Promise<Omit<OpenLoopResult, 'plans'>> {
  const qa = new Map<string, Tally>();
  const light = new Tally();
  const actions = new Tally();
  const adherence = new Map<string, Tally>();
  const cot = new Tally();
  let l2Sum = 0;
  let l2End = 0;
  let plans = 0;
  let cotLength = 0;
  let thought = 0;
  const stopAnswer = new Set([tok.special('<q>'), tok.special('<eos>')]);
  const answersRight = async (r: LakeFrame, pair: QaRow) => {
    const ids = await model.generate(r.frame, qaPrompt(tok, pair.question), {
      maxNew: ANSWER_TOKENS,
      stop: stopAnswer,
    });
    return tok.decode(ids.filter((id) => !stopAnswer.has(id))).trim() === pair.answer.trim();
  };
  const lightInView = (pair: QaRow) => pair.key === LIGHT_STATE_KEY && pair.answer !== NO_LIGHT.state;
  const progress = startProgress('open loop', records.length, { quiet: o.quiet });
  for (const [index, r] of records.entries()) {
    progress.tick();
    // Fast mode: the 16 action tokens straight after <act>, each constrained to its axis.
    const plan = (instruction: string) =>
      model.generate(r.frame, drivingPrompt(tok, instruction, 'fast'), {
        maxNew: 2 * bins.steps,
        allowed: (k) => actionSpan(tok, k),
      });
    if (r.actions) {
      const followed = planBehaviour(bins, r.frame.ego.speed, binsOf(tok, await plan(r.instruction)));
      if (!adherence.has(r.behaviour)) adherence.set(r.behaviour, new Tally());
      adherence.get(r.behaviour)!.add(followed === r.behaviour);
    }
    if (index >= frames) {
      const pair = r.qa.find(lightInView);
      if (pair) light.add(await answersRight(r, pair));
      continue;
    }
    for (const pair of questionsOf(r, index)) {
      const hit = await answersRight(r, pair);
      if (!qa.has(pair.category)) qa.set(pair.category, new Tally());
      qa.get(pair.category)!.add(hit);
      if (lightInView(pair)) light.add(hit); // a light in view: read its colour
    }
    if (!r.actions) continue;
    const want = actionIds(tok, r.actions);
    const got = await plan(r.scenarioInstruction);
    fastPlans.push({ record: r, bins: binsOf(tok, got) });
    for (let k = 0; k < want.length; k++) actions.add(got[k] === want[k]);
    const start = { x: 0, y: 0, heading: 0, speed: r.frame.ego.speed };
    const expert = decodeActionTokens(egoKinematics, bins, start, Int32Array.from(r.actions));
    const planned = decodeActionTokens(egoKinematics, bins, start, binsOf(tok, got));
    let sum = 0;
    for (let k = 0; k < expert.length; k++)
      sum += Math.hypot(expert[k].x - planned[k].x, expert[k].y - planned[k].y);
    l2Sum += sum / expert.length;
    l2End += Math.hypot(expert.at(-1)!.x - planned.at(-1)!.x, expert.at(-1)!.y - planned.at(-1)!.y);
    plans++;
    if (!r.cot) continue;
    // CoT, teacher forced: the argmax at each position of the long trace against the trace's next token.
    const prompt = drivingPrompt(tok, r.scenarioInstruction, 'think');
    const trace = tok.encode(r.cot.long);
    const logits = await model.logits(r.frame, [...prompt, ...trace]);
    for (let k = 0; k < trace.length; k++) {
      const row = logits.subarray((prompt.length - 1 + k) * model.vocab, (prompt.length + k) * model.vocab);
      cot.add(pick(row, 0, row.length, 0) === trace[k]); // argmax
    }
    // The CoT the model writes itself, up to </think>.
    const endThink = tok.special('</think>');
    const written = await model.generate(r.frame, prompt, {
      maxNew: o.maxCot ?? 64,
      stop: new Set([endThink]),
    });
    cotLength += written.filter((id) => id !== endThink).length;
    thought++;
  }
  progress.stop();
  return {
    frames: Math.min(frames, records.length),
    qa: Object.fromEntries([...qa].map(([category, t]) => [category, t.result])),
    lightState: light.result,
    actionTokens: actions.result,
    l2: { mean: plans > 0 ? l2Sum / plans : 0, at4s: plans > 0 ? l2End / plans : 0 },
    adherence: Object.fromEntries([...adherence].map(([behaviour, t]) => [behaviour, t.result])),
    cotTokens: cot.result,
    cotLength: thought > 0 ? cotLength / thought : 0,
  };
}

/** The (2H,) bins of decoded action-token ids. */
function binsOf(tok: Tokenizer, ids: readonly number[]): Int32Array {
  return Int32Array.from(ids, (id) => tok.actionBin(id)?.bin ?? 0);
}

/** The behaviour instruction a plan fulfils, judged as the lake judges the expert's next 4 s. */
export function planBehaviour(bins: ActionBins, speed: number, plan: Int32Array): BehaviourInstruction {
  const poses = decodeActionTokens(egoKinematics, bins, { x: 0, y: 0, heading: 0, speed }, plan);
  const end = poses.at(-1)!;
  const controls = tokenControls(bins, plan); // (H, 2)
  let hardest = 0; // [m/s2]
  for (let k = 0; k < controls.length; k += 2) hardest = Math.min(hardest, controls[k]!);
  const decision = decisionOf({
    speedNow: speed,
    speedLater: end.speed,
    turned: wrapAngle(end.heading),
    side: end.y,
  });
  return behaviourOf(decision, hardest);
}
