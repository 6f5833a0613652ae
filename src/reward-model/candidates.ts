// The candidate plans a reward-model scene is scored on: the expert's plan, noisy copies of it at three scales,
// the expert's action tokens with some resampled, and uniformly random tokens. Not their scoring (dataset.ts).

import type { Rng } from '../core/rng.js';
import type { ActionBins } from '../labels/action-bins.js';
import { tokenControls } from '../labels/action-tokens.js';
import { PLAN_HORIZON } from '../sim/types.js';

// Noise added to the expert's controls per plan step: (accel [m/s2], curvature [1/m]) standard deviations.
const NOISE = [
  [0.5, 0.005],
  [1.5, 0.02],
  [3, 0.06],
] as const;
const RESAMPLED_SHARE = 0.25; // share of the expert's tokens redrawn uniformly in a resampled plan

/** A plan of (PLAN_HORIZON, 2) controls and how it was made (for the report's breakdown). */
export interface Candidate {
  readonly kind: 'expert' | 'noisy' | 'resampled' | 'random';
  readonly plan: Float64Array;
}

/**
 * `count` candidates: first the expert's plan, then in turn noisy copies (each scale), resampled expert tokens
 * (when the frame has them) and random tokens, each drawn from `rng`.
 */
export function candidatePlans(
  expertPlan: ArrayLike<number>,
  expertBins: readonly number[] | null,
  bins: ActionBins,
  count: number,
  rng: Rng,
): Candidate[] {
  const lon = bins.longitudinal.centres.length;
  const lat = bins.lateral.centres.length;
  const randomBin = (k: number) => rng.int(k % 2 === 0 ? lon : lat);
  const makers: (() => Candidate)[] = [
    ...NOISE.map(([sa, sk]) => () => ({
      kind: 'noisy' as const,
      plan: Float64Array.from(
        { length: PLAN_HORIZON * 2 },
        (_, k) => expertPlan[k]! + rng.normal(0, k % 2 === 0 ? sa : sk),
      ),
    })),
    ...(expertBins
      ? [
          () => ({
            kind: 'resampled' as const,
            plan: tokenControls(
              bins,
              Int32Array.from(expertBins, (b, k) => (rng.chance(RESAMPLED_SHARE) ? randomBin(k) : b)),
            ),
          }),
        ]
      : []),
    () => ({
      kind: 'random' as const,
      plan: tokenControls(
        bins,
        Int32Array.from({ length: PLAN_HORIZON * 2 }, (_, k) => randomBin(k)),
      ),
    }),
  ];
  const out: Candidate[] = [{ kind: 'expert', plan: Float64Array.from(expertPlan) }];
  for (let i = 0; out.length < count; i++) out.push(makers[i % makers.length]!());
  return out;
}
