// Pretraining: a fresh model learns to see from the lake's QA, each frame's path questions packed on their own
// beside one pack of its other questions. Not the driving stages (driving.ts) nor the loop.

import { LEAD_KEYS } from '../../labels/dynamic.js';
import { AHEAD_NOW_KEY } from '../../labels/occupancy.js';
import { LIGHT_STATE_KEY } from '../../labels/tsl.js';
import { NEXT_TOKEN } from '../objective.js';
import { qaExamples } from '../sequences.js';
import type { OfflineStage } from '../stage.js';

/**
 * The questions of what is in ego's path and what its light shows, which driving turns on. Pretraining gives every
 * frame a pack of these alone: packed among its 25 questions they were too rare a target, and the pretrained
 * teacher answered "none" to the lead of 113 of 116 held-out frames with a vehicle ahead (found 3 of the 59 within
 * 20 m); with a pack of their own (and twice the frames and steps) it found 45 of those 59.
 */
export const PATH_QA_KEYS: ReadonlySet<string> = new Set([
  LEAD_KEYS.kind,
  LEAD_KEYS.distance,
  LEAD_KEYS.speed,
  AHEAD_NOW_KEY,
  LIGHT_STATE_KEY,
]);

export const pretrain = {
  kind: 'offline',
  name: 'pretrain',
  startsFresh: true,
  reads: { markGood: false },
  qaReplay: 0, // all QA already
  frameExamples(tok, r, rng) {
    // the path pack, and the first pack of the other questions (each frame a different draw of them)
    const path = r.qa.filter((q) => PATH_QA_KEYS.has(q.key));
    const rest = r.qa.filter((q) => !PATH_QA_KEYS.has(q.key));
    return [
      ...qaExamples(tok, r.frame, rng.shuffle(path)),
      ...qaExamples(tok, r.frame, rng.shuffle(rest)).slice(0, 1),
    ];
  },
  objective: NEXT_TOKEN,
} as const satisfies OfflineStage;
