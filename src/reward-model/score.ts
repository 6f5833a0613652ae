// Scoring plans with the learned reward model instead of the plan scorer: the flywheel's way to score fleet clips
// where no rollout exists. Not training (train.ts); the scene is the plan scorer's (sim/plan-scorer/scene.ts).

import type { MetricName } from '../sim/metrics/index.js';
import type { PlanScene } from '../sim/plan-scorer/index.js';
import { rowEpdms } from './evaluate.js';
import { planTokens } from './features.js';
import { HEAD_SLOTS, OUTPUT_WIDTH, readHead } from './heads.js';
import type { RewardModel } from './train.js';

/** One plan's predicted sub-metrics (binary: P(pass); levels: the expected level; EP: the value) and EPDMS. */
export interface PredictedScore {
  readonly metrics: Readonly<Record<MetricName, number>>;
  readonly epdms: number; // implied by the metrics; a head that never saw a valid label counts as 1
}

/** The model's scores of control plans ((PLAN_HORIZON, 2) [m/s2, 1/m] each) from `scene`. */
export async function scoreWithRewardModel(
  model: RewardModel,
  scene: PlanScene,
  plans: readonly ArrayLike<number>[],
): Promise<PredictedScore[]> {
  const out = await model.network.outputs(planTokens(scene, plans));
  return plans.map((_, p) => {
    const row = out.subarray(p * OUTPUT_WIDTH, (p + 1) * OUTPUT_WIDTH);
    const metrics = {} as Record<MetricName, number>;
    for (const s of HEAD_SLOTS) metrics[s.name] = readHead(s, row).value;
    return { metrics, epdms: rowEpdms(row, model.untrained) };
  });
}
