// The one place expert data generation is wired to the simulator, the sensors and the lake: the real GenerateDeps.
// Not logic: each entry is an import from the module that owns it (tests pass fakes instead).

import { render } from '../sensors/index.js';
import { expertLog, perturbedExpertLog } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import { clipMetrics } from './clip-metrics.js';
import { egoKinematics } from './ego-kinematics.js';
import type { GenerateDeps } from './generate.js';
import { LakeWriter } from './lake.js';

export function generateDeps(): GenerateDeps {
  return {
    createScenario,
    clipMetrics,
    kinematics: egoKinematics,
    render,
    openLake: (out: string) => LakeWriter.open(out),
    expertLog,
    perturbedExpertLog,
  };
}
