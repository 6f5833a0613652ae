// The next-token objective every stage so far trains: cross-entropy on the targets of the spans that carry loss
// (model/vla.ts vlaLoss), fed image, ego and text tensors. Not which spans carry loss (sequences.ts, stages/).

import type { Feeds } from '../engine/engine.js';
import type { VlaConfig } from '../model/config.js';
import { frameFeeds, IGNORE, tokenFeed, vlaLoss } from '../model/vla.js';
import type { Example } from './sequences.js';
import type { Objective } from './stage.js';

const PAD = 0; // <pad>

/** Feeds for a batch of examples at text length S: frames, (B, S) tokens and (B, S) targets. */
export function batchFeeds(config: VlaConfig, batch: readonly Example[], text: number): Feeds {
  return {
    ...frameFeeds(
      config,
      batch.map((e) => e.frame),
    ),
    tokens: tokenFeed(
      batch.map((e) => e.tokens),
      text,
      PAD,
    ),
    targets: tokenFeed(
      batch.map((e) => e.targets),
      text,
      IGNORE,
    ),
  };
}

export const NEXT_TOKEN: Objective = { loss: vlaLoss, feeds: batchFeeds };
