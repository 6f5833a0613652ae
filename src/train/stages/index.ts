// The registry of training stages, in pipeline order: adding a stage is its file and one line here.
// Not what a stage is (stage.ts) nor how one is run (run-stage.ts).

import { UnknownNameError } from '../../core/errors.js';
import type { Stage } from '../stage.js';
import { align } from './align.js';
import { cotSft } from './cot-sft.js';
import { cotShort } from './cot-short.js';
import { distil } from './distil.js';
import { instruct } from './instruct.js';
import { pretrain } from './pretrain.js';

const REGISTRY = [pretrain, align, cotSft, cotShort, instruct, distil] as const satisfies readonly Stage[];

export type StageName = (typeof REGISTRY)[number]['name'];
export const STAGES = REGISTRY.map((s) => s.name) as readonly StageName[] as readonly [
  StageName,
  ...StageName[],
];

/** The stages `drivefm run` trains each model through, in order: those that learn from data, not a teacher. */
export const PIPELINE_STAGES = REGISTRY.filter((s: Stage) => !s.taught).map(
  (s) => s.name,
) as readonly StageName[];

/** The stage of this name; an UnknownNameError naming the known ones otherwise. */
export function stageOf(name: string): Stage {
  const stage = REGISTRY.find((s) => s.name === name);
  if (!stage) throw new UnknownNameError('stage', name, STAGES);
  return stage;
}
