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
import { rl } from './rl.js';

const REGISTRY = [
  pretrain,
  align,
  cotSft,
  cotShort,
  instruct,
  distil,
  rl,
] as const satisfies readonly Stage[];

export type StageName = (typeof REGISTRY)[number]['name'];
export const STAGES = REGISTRY.map((s) => s.name) as readonly StageName[] as readonly [
  StageName,
  ...StageName[],
];

/**
 * The stages `drivefm run` trains each model through by default, in order: the offline ones that learn from data,
 * not a teacher (an online stage, RL, joins a recipe's runStages only when it is listed there).
 */
export const PIPELINE_STAGES = REGISTRY.filter((s: Stage) => s.kind === 'offline' && !s.taught).map(
  (s) => s.name,
) as readonly StageName[];

/** The stage of this name; an UnknownNameError naming the known ones otherwise. */
export function stageOf(name: string): Stage {
  const stage = REGISTRY.find((s) => s.name === name);
  if (!stage) throw new UnknownNameError('stage', name, STAGES);
  return stage;
}
