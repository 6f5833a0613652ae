// CoT supervised fine-tuning: drive with the long chain of thought (or fast), given the scenario's instruction.
// Not the short traces (cot-short.ts) nor instruction following (instruct.ts).

import { drivingStage } from './driving.js';

export const cotSft = drivingStage({
  name: 'cot-sft',
  markGood: false,
  trace: (cot) => cot.long,
  instruction: (r) => r.scenarioInstruction,
});
