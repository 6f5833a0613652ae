// The reward model's recipe section (`rewardModel` in configs/*.json): its network's size, its dataset's size and
// its training. Not the code that uses them (network.ts, dataset.ts, train.ts).

import { z } from 'zod';

export const rewardModelSchema = z.strictObject({
  frames: z.int().positive(), // train-split lake frames rebuilt into scenes
  evalFrames: z.int().positive(), // held-out (val) frames the agreement is measured on
  candidates: z.int().min(4), // plans per scene: the expert's, perturbations of it, resampled and random tokens
  steps: z.int().positive(), // optimiser steps
  lr: z.number().positive(), // peak learning rate (cosine to a tenth)
  batch: z.int().positive(), // (scene, plan) pairs per step
  dModel: z.int().positive(), // token width C
  layers: z.int().positive(), // transformer blocks over the (scene, plan) tokens
  heads: z.int().positive(), // attention heads; dModel % (2 heads) == 0 (rotary halves)
  ffnHidden: z.int().positive(), // SwiGLU hidden width
});

export type RewardModelSettings = z.infer<typeof rewardModelSchema>;
