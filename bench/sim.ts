// Simulator benchmark: world throughput on a 50-vehicle highway (one thread, dt 0.1 s, no rendering) and the
// expert's closed-loop scores on the standard and longtail suites. Prints one JSON line.

import { evaluateSuite } from '../src/eval/closed-loop.js';
import { ExpertDriver } from '../src/sim/agents/expert/expert.js';
import { highwayCruise } from '../src/sim/scenarios/highway-cruise.js';
import { cloneState } from '../src/sim/state.js';
import { loadSuite } from '../src/sim/suites.js';
import { AgentKind } from '../src/sim/types.js';
import { World } from '../src/sim/world.js';

const VEHICLES = 50; // background vehicles, as highway-env's highway-v0 (50 + ego)
const SECONDS = 3; // [s] of wall time to measure over
const HIGHWAY_ENV_VEHICLE_STEPS_PER_S = 3400; // measured on this kind of machine (shared/REFERENCE.md)

/** A 4-lane highway with exactly VEHICLES background vehicles (spacing tuned, extra ones dropped). */
function benchScene() {
  const scenario = highwayCruise(0, { lanes: 4, length: 3000, spacing: [45, 75] });
  const a = scenario.initial.agents;
  let kept = 0;
  for (let i = 1; i < a.count; i++) {
    if (a.kind[i] !== AgentKind.vehicle) continue;
    kept++;
    if (kept > VEHICLES) a.valid[i] = 0;
  }
  if (kept < VEHICLES) throw new Error(`bench scene has ${kept} vehicles, wanted ${VEHICLES}`);
  return scenario;
}

function worldThroughput(): { vehicleStepsPerS: number; steps: number } {
  const scenario = benchScene();
  const world = new World(scenario);
  const action = { accel: 0, curvature: 0 };
  let vehicleSteps = 0;
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    let state = cloneState(scenario.initial);
    let next = cloneState(scenario.initial);
    for (let t = 0; t < 300; t++) {
      world.stepInto(state, action, next);
      [state, next] = [next, state];
      for (let i = 1; i < state.agents.count; i++) vehicleSteps += state.agents.valid[i];
      steps++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { vehicleStepsPerS: vehicleSteps / seconds, steps };
}

const throughput = worldThroughput();
const expert = () => new ExpertDriver();
const standard = evaluateSuite(loadSuite('standard'), expert, { quiet: true });
const longtail = evaluateSuite(loadSuite('longtail'), expert, { quiet: true });
console.log(
  JSON.stringify({
    vehicle_steps_per_s: Math.round(throughput.vehicleStepsPerS),
    vs_highway_env: Number((throughput.vehicleStepsPerS / HIGHWAY_ENV_VEHICLE_STEPS_PER_S).toFixed(1)),
    world_steps: throughput.steps,
    expert_epdms_standard: Number(standard.summary.epdms.toFixed(4)),
    expert_pdms_standard: Number(standard.summary.pdms.toFixed(4)),
    expert_epdms_longtail: Number(longtail.summary.epdms.toFixed(4)),
    expert_pdms_longtail: Number(longtail.summary.pdms.toFixed(4)),
    expert_collisions: standard.summary.atFaultCollisions + longtail.summary.atFaultCollisions,
    episodes: standard.summary.episodes + longtail.summary.episodes,
  }),
);
