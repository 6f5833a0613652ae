// Evaluation benchmark: 4 s plans scored per CPU second by the per-plan scorer (bench/plan-scorer.ts), and
// closed-loop episodes per second of the expert on the wide suite in one thread and over two worker threads
// (thread start-up included: what `drivefm eval --workers 2` costs), their ratio, and whether both gave the same
// bytes. Prints one JSON line. Not the simulator's raw throughput (bench/sim.ts).

import { availableParallelism, loadavg } from 'node:os';
import { evaluateSpec } from '../src/eval/closed-loop.js';
import { suiteJson } from '../src/eval/report.js';
import { loadSuite } from '../src/sim/suites.js';
import { measurePlanScoring } from './plan-scorer.js';

const SUITE = 'wide'; // 180 episodes of every family: a long evaluation, where thread start-up is a small share

/** Episodes per wall second, CPU time per episode over every thread [ms], and the output. */
async function episodesPerSecond(workers: number): Promise<{ rate: number; cpuMs: number; json: string }> {
  const suite = loadSuite(SUITE);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await evaluateSpec(suite, { kind: 'expert' }, { quiet: true, workers });
  const { user, system } = process.cpuUsage(cpu); // [us]
  const seconds = (performance.now() - started) / 1000;
  const episodes = result.summary.episodes;
  return {
    rate: episodes / seconds,
    cpuMs: (user + system) / 1000 / episodes,
    json: JSON.stringify(suiteJson(result)),
  };
}

const load = loadavg()[0]!; // the machine may be shared: with more runnable threads than cores, 2 workers gain little
const one = await episodesPerSecond(1);
const two = await episodesPerSecond(2);
const plans = measurePlanScoring(); // one thread: a 4 s plan in a ~70-agent highway scene
console.log(
  JSON.stringify({
    plans_scored_per_s: plans.plans_scored_per_s,
    plans_agents: plans.agents,
    suite: SUITE,
    episodes_per_s_1_worker: Number(one.rate.toFixed(2)),
    episodes_per_s_2_workers: Number(two.rate.toFixed(2)),
    ratio_2_to_1: Number((two.rate / one.rate).toFixed(2)),
    // CPU per episode does not depend on how busy the machine is: the workers' overhead (start-up, messages)
    cpu_ms_per_episode_1_worker: Math.round(one.cpuMs),
    cpu_ms_per_episode_2_workers: Math.round(two.cpuMs),
    same_bytes: one.json === two.json,
    cores: availableParallelism(),
    load_average: Number(load.toFixed(1)),
  }),
);
