// The one place generation is wired to the simulator, the sensors and the lake: the real GenerateDeps and
// OnPolicyDeps. Not logic: each entry is an import from the module that owns it (tests pass fakes instead).

import { render } from '../sensors/index.js';
import { expertLog, expertTakeover, perturbedExpertLog, runEpisode } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import { clipMetrics } from './clip-metrics.js';
import { egoKinematics } from './ego-kinematics.js';
import type { GenerateDeps } from './generate.js';
import { LakeWriter } from './lake.js';
import type { OnPolicyDeps } from './on-policy.js';

/** What both kinds of generation need: scenarios, metrics, kinematics, sensors and the lake. */
const shared = {
  createScenario,
  clipMetrics,
  kinematics: egoKinematics,
  render,
  openLake: (out: string) => LakeWriter.open(out),
};

export function generateDeps(): GenerateDeps {
  return { ...shared, expertLog, perturbedExpertLog };
}

export function onPolicyDeps(): OnPolicyDeps {
  return { ...shared, runEpisode, expertTakeover };
}
