// Plan-scorer benchmark: 4 s plans scored per CPU second (one thread, after a warm-up) in the densest scenario
// family's scene, and the time to build the scene. Prints one JSON line; other benchmarks import it too.

import { pathToFileURL } from 'node:url';
import { planScene, scorePlans } from '../src/sim/plan-scorer/index.js';
import { createScenario } from '../src/sim/scenarios/index.js';
import { PLAN_HORIZON } from '../src/sim/types.js';

const FAMILY = 'highway-cruise'; // among the densest families (~70 agents at seed 0)
const GROUP = 16; // plans per batch: an RL group of sampled plans
const SECONDS = 3; // [s] of wall time to measure over
/**
 * [s] of CPU time spent scoring before measuring: the JIT compiles the scorer's functions on other threads
 * over the first thousand plans or so, and process.cpuUsage counts those threads too.
 */
const WARM_UP_CPU_SECONDS = 1;

function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

export interface PlanScoringFigures {
  /** Per second of the process's CPU time: the machine is shared, wall time depends on the other load. */
  readonly plans_scored_per_s: number;
  readonly plans_scored_per_wall_s: number;
  readonly scene_build_ms: number;
  readonly agents: number; // valid agents in the scene, ego included
  readonly family: string;
  readonly plans_scored: number;
}

/** G plans around the expert's: its own, then accelerations and curvatures offset step by step. */
function group(expertPlan: Float64Array): Float64Array[] {
  const plans: Float64Array[] = [];
  for (let g = 0; g < GROUP; g++) {
    const plan = expertPlan.slice();
    for (let k = 0; k < PLAN_HORIZON; k++) {
      plan[2 * k] += ((g % 4) - 1.5) * 0.8; // [m/s2]
      plan[2 * k + 1] += (Math.floor(g / 4) - 1.5) * 0.004; // [1/m]
    }
    plans.push(g === 0 ? expertPlan : plan);
  }
  return plans;
}

/** Scene build time and plans scored per second in one FAMILY scene (seed 0, its initial state). */
export function measurePlanScoring(seconds = SECONDS): PlanScoringFigures {
  const scenario = createScenario(FAMILY, 0);
  planScene(scenario, scenario.initial); // warm up the JIT
  const built = performance.now();
  const scene = planScene(scenario, scenario.initial);
  const sceneMs = performance.now() - built;
  const plans = group(scene.expertPlan);
  const warm = process.cpuUsage();
  while (cpuSecondsSince(warm) < WARM_UP_CPU_SECONDS) scorePlans(scene, plans);
  let scored = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    scorePlans(scene, plans);
    scored += plans.length;
  }
  const cpuSeconds = cpuSecondsSince(cpu);
  const elapsed = (performance.now() - start) / 1000;
  let agents = 0;
  for (let i = 0; i < scenario.initial.agents.count; i++) agents += scenario.initial.agents.valid[i];
  return {
    plans_scored_per_s: Math.round(scored / cpuSeconds),
    plans_scored_per_wall_s: Math.round(scored / elapsed),
    scene_build_ms: Number(sceneMs.toFixed(1)),
    agents,
    family: FAMILY,
    plans_scored: scored,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  console.log(JSON.stringify(measurePlanScoring()));
