// All six label categories of one frame, computed together, with their question/answer text.
// Not the lake rows (data/generate.ts maps these onto data/schema.ts) and not CoT or action tokens.

import { type DynamicLabel, dynamicLabel, dynamicQa } from './dynamic.js';
import type { LabelFrame } from './frame.js';
import { type OccupancyLabel, occupancyLabel, occupancyQa } from './occupancy.js';
import type { QaPair } from './qa.js';
import { egoOnRoad } from './road-ahead.js';
import { type StaticLabel, staticLabel, staticQa } from './static.js';
import { type TflLabel, tflLabel, tflQa } from './tfl.js';
import { type TrajectoryLabel, trajectoryLabel, trajectoryQa } from './trajectory.js';
import { type TslLabel, tslLabel, tslQa } from './tsl.js';

export interface FrameLabels {
  readonly static: StaticLabel;
  readonly dynamic: DynamicLabel;
  readonly trajectory: TrajectoryLabel;
  readonly occupancy: OccupancyLabel;
  readonly tsl: TslLabel;
  readonly tfl: TflLabel;
}

export function labelFrame(frame: LabelFrame): FrameLabels {
  const road = egoOnRoad(frame);
  const stat = staticLabel(frame, road);
  const dynamic = dynamicLabel(frame);
  return {
    static: stat,
    dynamic,
    trajectory: trajectoryLabel(frame, dynamic),
    occupancy: occupancyLabel(frame),
    tsl: tslLabel(frame, road),
    tfl: tflLabel(frame, stat),
  };
}

/** Every category's questions for the frame; `seed` picks the phrasings (same seed, same text). */
export function frameQa(labels: FrameLabels, seed: number): QaPair[] {
  return [
    ...staticQa(labels.static, seed),
    ...dynamicQa(labels.dynamic, seed),
    ...trajectoryQa(labels.trajectory, seed),
    ...occupancyQa(labels.occupancy, seed),
    ...tslQa(labels.tsl, seed),
    ...tflQa(labels.tfl, seed),
  ];
}
