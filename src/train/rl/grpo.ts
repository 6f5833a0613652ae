// The GRPO loop: each step draws scenes (weighted, from a stream of the seed and the step, so a resumed run draws
// the same), samples and scores a group per scene with the policy as it stands, and takes one clipped update
// with KL to the frozen reference; curves of reward, EPDMS, KL and loss. Not the lake (the caller builds scenes).

import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { startProgress } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import type { AdamWConfig } from '../../engine/optim.js';
import { Trainer, type TrainState } from '../../engine/trainer.js';
import type { Shape } from '../../engine/types.js';
import type { ActionBins } from '../../labels/action-bins.js';
import type { VlaConfig } from '../../model/config.js';
import { drivingPrompt } from '../../model/prompt.js';
import type { Tokenizer } from '../../model/tokenizer.js';
import { VlaModel } from '../../model/vla.js';
import { textLength } from '../loop.js';
import { type GrpoSettings, grpoLoss, REF_PREFIX } from './objective.js';
import type { RewardSpec } from './reward.js';
import { groupRows, grpoFeeds, logProb, type RlRow, type RlScene, sampleGroup } from './sampler.js';

/** One step's figures (as the checkpoint's stage record and the resume state keep them). */
export const grpoPointSchema = z.strictObject({
  reward: z.number(), // mean over the step's sampled plans
  epdms: z.number(), // mean scorer EPDMS of them
  kl: z.number(), // mean over sampled tokens of log pi(token) - log pi_ref(token) (an estimate of KL)
  loss: z.number(),
});
export type GrpoPoint = z.infer<typeof grpoPointSchema>;

export interface GrpoOptions {
  readonly config: VlaConfig;
  readonly tok: Tokenizer;
  readonly bins: ActionBins;
  readonly init: ReadonlyMap<string, Float32Array>; // the instruct model: the policy's start and the reference
  readonly scenes: readonly RlScene[];
  readonly weights: readonly number[]; // (scenes,) draw weight of each (hard cases weigh more)
  readonly steps: number;
  readonly scenesPerStep: number;
  readonly seed: number;
  readonly optim: AdamWConfig;
  readonly grpo: GrpoSettings;
  readonly reward: RewardSpec;
  readonly resume?: { readonly state: TrainState; readonly curve: readonly GrpoPoint[] };
  /** After each step: its state (with each param's shape, for a resume file) and the curve so far. */
  readonly onStep?: (
    state: () => TrainState,
    curve: readonly GrpoPoint[],
    shapes: () => ReadonlyMap<string, Shape>,
  ) => void;
  readonly label?: string; // of the progress bar (default 'train rl')
  readonly quiet?: boolean;
  readonly threads?: number;
}

export interface GrpoResult {
  readonly params: Map<string, Float32Array>;
  readonly curve: readonly GrpoPoint[]; // (steps,)
  readonly secondsPerStep: number; // [s] wall time of the steps this call ran
}

/** `count` indices drawn with replacement in proportion to `weights`. */
function draw(weights: readonly number[], count: number, rng: Rng): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: count }, () => {
    let u = rng.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u <= 0) return i;
    }
    return weights.length - 1;
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Mean over sampled tokens of log pi - log pi_ref; the sampled rows carry the policy's log-probs already. */
async function klEstimate(reference: VlaModel, rows: readonly RlRow[], vocab: number): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const r of rows) {
    if (r.imitation) continue;
    const logits = await reference.logits(r.frame, r.tokens);
    r.targets.forEach((t, i) => {
      if (t < 0) return;
      sum += r.oldLogp[i]! - logProb(logits.subarray(i * vocab, (i + 1) * vocab), t);
      count++;
    });
  }
  return sum / Math.max(1, count);
}

export async function trainGrpo(o: GrpoOptions): Promise<GrpoResult> {
  if (o.scenes.length === 0) throw new UsageError('rl: no training scenes');
  const vocab = o.tok.vocabSize;
  const g = o.grpo;
  const rowsPerStep = o.scenesPerStep * (g.group + 1);
  // every row is prompt + 2H actions + </act> <eos>; the longest scene's sets the graph's length
  const lengths = o.scenes.map(
    (s) => drivingPrompt(o.tok, s.instruction, 'fast').length + o.bins.steps * 2 + 2,
  );
  const text = textLength(o.config, [
    { frame: o.scenes[0]!.frame, tokens: new Array(Math.max(...lengths)).fill(0), targets: [] },
  ]);
  const frozen = new Map([...o.init].map(([n, p]) => [`${REF_PREFIX}${n}`, p]));
  const trainer = await Trainer.create({
    build: (gr) => grpoLoss(gr, o.config, vocab, rowsPerStep, text, g),
    optim: o.optim,
    seed: o.seed,
    threads: o.threads ?? 2,
    frozen,
  });
  const policy = new VlaModel(
    o.config,
    vocab,
    new Map([...o.init].map(([n, p]) => [n, Float32Array.from(p)])),
    o.threads ?? 2,
  );
  const reference = new VlaModel(o.config, vocab, o.init, o.threads ?? 2);
  try {
    if (o.resume) trainer.load(o.resume.state);
    else trainer.load({ step: 0, params: o.init, m: zeros(o.init), v: zeros(o.init) });
    const curve = [...(o.resume?.curve ?? [])];
    const progress = startProgress(o.label ?? 'train rl', o.steps - curve.length, { quiet: o.quiet });
    const started = performance.now();
    const first = curve.length + 1;
    for (let step = first; step <= o.steps; step++) {
      for (const [name, p] of trainer.params()) policy.params.get(name)!.set(p); // sample with the policy now
      const rng = new Rng(o.seed).fork(step);
      const rows: RlRow[] = [];
      const rewards: number[] = [];
      const epdms: number[] = [];
      for (const i of draw(o.weights, o.scenesPerStep, rng.fork(0))) {
        const scene = o.scenes[i]!;
        const group = await sampleGroup(policy, o.tok, o.bins, scene, {
          ...g,
          reward: o.reward,
          rng: rng.fork(1 + i),
        });
        rows.push(...groupRows(o.tok, scene, group));
        rewards.push(...group.rewards);
        epdms.push(...group.epdms);
      }
      const kl = await klEstimate(reference, rows, vocab);
      const { loss } = await trainer.trainStep(grpoFeeds(o.config, rows, text));
      if (!Number.isFinite(loss)) throw new UsageError(`train rl: loss is ${loss} at step ${step}`);
      curve.push({ reward: mean(rewards), epdms: mean(epdms), kl, loss });
      progress.tick();
      o.onStep?.(
        () => trainer.snapshot(),
        curve,
        () => trainer.paramShapes(),
      );
    }
    progress.stop();
    const secondsPerStep = (performance.now() - started) / 1000 / Math.max(1, o.steps - first + 1);
    const params = new Map([...trainer.params()].map(([n, p]) => [n, Float32Array.from(p)]));
    return { params, curve, secondsPerStep };
  } finally {
    await trainer.dispose();
    await policy.dispose();
    await reference.dispose();
  }
}

const zeros = (m: ReadonlyMap<string, Float32Array>) =>
  new Map([...m].map(([n, p]) => [n, new Float32Array(p.length)]));
