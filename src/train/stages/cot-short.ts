// Short CoT: the same driving sequences with the short traces, so thinking costs fewer tokens in the car.
// Not the long traces (cot-sft.ts).

import { drivingStage } from './driving.js';

export const cotShort = drivingStage({
  name: 'cot-short',
  markGood: false,
  trace: (cot) => cot.short,
  instruction: (r) => r.scenarioInstruction,
});
