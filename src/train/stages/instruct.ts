// Instruction following: on curated good cases the frame's own instruction (navigation + behaviour) half the time,
// the scenario's otherwise. Not curation itself (data/curate.ts decides what a good case is).

import { drivingStage } from './driving.js';

const OWN_INSTRUCTION_SHARE = 0.5; // of a good case's examples that read the frame's own instruction

export const instruct = drivingStage({
  name: 'instruct',
  markGood: true,
  trace: (cot) => cot.short,
  // every frame stays in, so recoveries learnt from perturbed and on-policy clips are not forgotten
  instruction: (r, rng) =>
    r.good && rng.chance(OWN_INSTRUCTION_SHARE) ? r.instruction : r.scenarioInstruction,
});
