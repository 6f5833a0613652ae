// GRPO's rollout of one scene: G fast-mode plans sampled from the policy at a temperature, each scored by the
// plan scorer and rewarded, with the sampling policy's log-prob of every action token; and the training rows they
// become (the sampled plans with their group advantages, and the expert's tokens). Not the loss (objective.ts).

import type { Rng } from '../../core/rng.js';
import type { Feeds } from '../../engine/engine.js';
import type { ActionBins } from '../../labels/action-bins.js';
import { tokenControls } from '../../labels/action-tokens.js';
import type { VlaConfig } from '../../model/config.js';
import { actionIds, drivingPrompt } from '../../model/prompt.js';
import type { Tokenizer } from '../../model/tokenizer.js';
import { frameFeeds, IGNORE, tokenFeed, type VlaFrame, type VlaModel } from '../../model/vla.js';
import { actionSpan } from '../../policy/model-driver.js';
import { type PlanScene, scorePlans } from '../../sim/plan-scorer/index.js';
import { groupAdvantages } from './advantages.js';
import { planReward, type RewardSpec } from './reward.js';

/** One training scene: what the model sees, the instruction it is given, the scorer's scene, the expert's bins. */
export interface RlScene {
  readonly frame: VlaFrame;
  readonly instruction: string;
  readonly scene: PlanScene;
  readonly expertBins: readonly number[]; // (2H,) the lake's action bins of the frame
}

/** A scene's group: the sampled plans' token ids, the sampler's log-probs of them, and their rewards. */
export interface SampledGroup {
  readonly prompt: readonly number[];
  readonly actions: readonly (readonly number[])[]; // (G, 2H) token ids
  readonly logps: readonly Float64Array[]; // (G, 2H) log p(token) under the sampling policy at temperature 1
  readonly rewards: Float64Array; // (G,)
  readonly epdms: Float64Array; // (G,) the scorer's EPDMS of each plan, for the curves
}

/** One row of a GRPO batch: text, targets and per-position advantage, old log-prob and imitation flag. */
export interface RlRow {
  readonly frame: VlaFrame;
  readonly tokens: readonly number[]; // (S,)
  readonly targets: readonly number[]; // (S,) IGNORE where no loss
  readonly advantage: number; // of the whole plan (0 on an expert row)
  readonly oldLogp: readonly number[]; // (S,) at the positions whose target is a sampled token, else 0
  readonly imitation: boolean; // an expert row
}

export interface SampleOptions {
  readonly group: number;
  readonly temperature: number;
  readonly reward: RewardSpec;
  readonly rng: Rng;
}

/** log softmax(row)[id] at temperature 1. */
export function logProb(row: Float32Array, id: number): number {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let total = 0;
  for (const v of row) total += Math.exp(v - max);
  return row[id]! - max - Math.log(total);
}

/** Samples and scores G plans for `s` from `model` (the policy as it stands). */
export async function sampleGroup(
  model: VlaModel,
  tok: Tokenizer,
  bins: ActionBins,
  s: RlScene,
  o: SampleOptions,
): Promise<SampledGroup> {
  const prompt = drivingPrompt(tok, s.instruction, 'fast');
  const count = bins.steps * 2;
  const V = model.vocab;
  const actions: number[][] = [];
  const logps: Float64Array[] = [];
  for (let i = 0; i < o.group; i++) {
    const ids = await model.generate(s.frame, prompt, {
      maxNew: count,
      allowed: (k) => actionSpan(tok, k),
      temperature: o.temperature,
      rng: o.rng,
    });
    const logits = await model.logits(s.frame, [...prompt, ...ids]); // (S, V)
    const at = (k: number) => logits.subarray((prompt.length - 1 + k) * V, (prompt.length + k) * V);
    logps.push(Float64Array.from(ids, (id, k) => logProb(at(k), id)));
    actions.push(ids);
  }
  const plans = actions.map((ids) =>
    tokenControls(
      bins,
      Int32Array.from(ids, (id) => tok.actionBin(id)!.bin),
    ),
  );
  const scores = scorePlans(s.scene, plans);
  return {
    prompt,
    actions,
    logps,
    rewards: Float64Array.from(scores, (sc) => planReward(o.reward, sc.metrics).total),
    epdms: Float64Array.from(scores, (sc) => sc.epdms),
  };
}

/** A scene's rows: its G sampled plans (loss on the actions) with their advantages, then the expert's plan. */
export function groupRows(tok: Tokenizer, s: RlScene, g: SampledGroup): RlRow[] {
  const advantages = groupAdvantages(g.rewards, g.actions.length);
  const row = (actions: readonly number[], advantage: number, logp: ArrayLike<number> | null): RlRow => {
    const tokens = [...g.prompt, ...actions, tok.special('</act>'), tok.special('<eos>')];
    const first = g.prompt.length - 1; // the position that predicts the first action token
    const last = first + actions.length + (logp ? 0 : 2); // the expert row also learns to end the plan
    const targets = tokens.map((_, i) => (i >= first && i < last ? tokens[i + 1]! : IGNORE));
    const oldLogp = tokens.map((_, i) => (logp && i >= first && i < last ? logp[i - first]! : 0));
    return { frame: s.frame, tokens, targets, advantage, oldLogp, imitation: logp === null };
  };
  return [
    ...g.actions.map((a, i) => row(a, advantages[i]!, g.logps[i]!)),
    row(actionIds(tok, s.expertBins), 0, null),
  ];
}

/** grpoLoss's feeds for R rows at text length S. */
export function grpoFeeds(config: VlaConfig, rows: readonly RlRow[], text: number): Feeds {
  const perPosition = (value: (r: RlRow, i: number) => number) => {
    const data = new Float32Array(rows.length * text); // (R, S)
    rows.forEach((r, b) => {
      for (let i = 0; i < r.tokens.length; i++) data[b * text + i] = value(r, i);
    });
    return { dtype: 'float32' as const, shape: [rows.length, text], data };
  };
  return {
    ...frameFeeds(
      config,
      rows.map((r) => r.frame),
    ),
    tokens: tokenFeed(
      rows.map((r) => r.tokens),
      text,
      0,
    ),
    targets: tokenFeed(
      rows.map((r) => r.targets),
      text,
      IGNORE,
    ),
    advantage: perPosition((r) => r.advantage),
    old_logp: perPosition((r, i) => r.oldLogp[i]!),
    imitation: perPosition((r) => (r.imitation ? 1 : 0)),
  };
}
