import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportVehicle } from '../src/compress/vehicle.js';
import { evaluateSpec } from '../src/eval/closed-loop.js';
import { tokenControls } from '../src/labels/action-tokens.js';
import { loadModelDriver } from '../src/policy/model-driver.js';
import { ManualClock } from '../src/runtime/clock.js';
import { loadVehicleRuntime } from '../src/runtime/load.js';
import { VehicleRuntime } from '../src/runtime/runtime.js';
import type { ActionModel } from '../src/runtime/vehicle-model.js';
import { runEpisode } from '../src/sim/rollout.js';
import { createScenario } from '../src/sim/scenarios/index.js';
import { DT } from '../src/sim/types.js';
import { bins, tokenizer, vehicleFixture } from './vehicle-fixture.js';

const { dir, ckptDir, remove } = vehicleFixture('runtime-');
const file = join(dir, 'fp32.onnx');
beforeAll(() => exportVehicle(ckptDir, file, { int8: false, seed: 0 }));
afterAll(remove);

const BUDGET = 100; // [ms]
const STOP = 3; // [m/s2]
const NEVER_LATE = 1e9; // [ms] a budget no answer misses, so that load on the machine cannot change the outcome
const H = bins.steps;

/** Token ids of a plan whose step k has longitudinal bin lon(k) and lateral bin lat(k). */
function planIds(lon: (k: number) => number, lat: (k: number) => number): number[] {
  return Array.from({ length: H }, (_, k) => [
    tokenizer.longitudinalStart + lon(k),
    tokenizer.lateralStart + lat(k),
  ]).flat();
}

/** Answers from a script, advancing the injected clock by each answer's latency [ms]. */
class ScriptedModel implements ActionModel {
  readonly name = 'scripted';
  readonly tokenizer = tokenizer;
  readonly bins = bins;
  private call = 0;
  constructor(
    private readonly clock: ManualClock,
    private readonly script: readonly { ids: readonly number[] | 'throw'; ms: number }[],
  ) {}
  actions(): readonly number[] {
    const { ids, ms } = this.script[Math.min(this.call++, this.script.length - 1)]!;
    this.clock.advance(ms);
    if (ids === 'throw') throw new Error('session failed');
    return ids;
  }
  async dispose() {}
}

describe('the in-car runtime', () => {
  it('falls back to the shifted last plan on late and malformed answers, then to a safe stop, and counts them', () => {
    const A = planIds(
      (k) => k,
      (k) => H - 1 - k,
    );
    const B = planIds(
      () => 0,
      () => 0,
    );
    const wrongLength = A.slice(1);
    const outOfRange = A.map((id, k) => (k === 3 ? tokenizer.longitudinalStart : id)); // a lateral slot, a longitudinal id
    const nan = A.map((id, k) => (k === 6 ? Number.NaN : id));
    const script = [
      { ids: A, ms: 20 },
      { ids: A, ms: 150 }, // valid, but late
      { ids: wrongLength, ms: 10 },
      { ids: outOfRange, ms: 10 },
      { ids: nan, ms: 10 },
      { ids: 'throw' as const, ms: 5 },
      { ids: A, ms: 101 },
      { ids: A, ms: 500 },
      { ids: A, ms: 100.5 }, // the eighth plan step since A: A is used up
      { ids: B, ms: 100 }, // at the budget: in time
    ];
    const clock = new ManualClock();
    const runtime = new VehicleRuntime(new ScriptedModel(clock, script), {
      budgetMs: BUDGET,
      stopDecel: STOP,
      clock,
    });
    const scenario = { ...createScenario('highway-cruise', 3), horizon: 50 }; // 10 decisions, 0.5 s apart
    const log = runEpisode(scenario, runtime);
    const kinds = runtime.decisions.map((d) => (d.kind === 'plan' ? 'plan' : `${d.fault}/${d.response}`));
    expect(kinds).toEqual([
      'plan',
      'late/last-plan',
      'wrong-length/last-plan',
      'out-of-range/last-plan',
      'nan/last-plan',
      'error/last-plan',
      'late/last-plan',
      'late/last-plan',
      'late/safe-stop',
      'plan',
    ]);
    const every = Math.round(bins.stepSeconds / DT); // [steps] between decisions
    const controlsA = tokenControls(
      bins,
      Int32Array.from(A, (id, k) => id - (k % 2 ? tokenizer.lateralStart : tokenizer.longitudinalStart)),
    );
    for (let d = 1; d <= 7; d++) {
      // the held plan's step d: A shifted by the d plan steps since it was made
      expect(log.egoAccelCmd[d * every]).toBeCloseTo(controlsA[2 * d]!, 5);
      expect(log.egoCurvatureCmd[d * every]).toBeCloseTo(controlsA[2 * d + 1]!, 6);
    }
    const speed = log.speed[8 * every]!; // ego is agent 0: its row starts the columns
    expect(log.egoAccelCmd[8 * every]).toBeCloseTo(-Math.min(STOP, speed / DT), 5);
    expect(log.egoCurvatureCmd[8 * every]).toBeCloseTo(controlsA[2 * 7 + 1]!, 6); // stops on its last arc
    expect(log.egoAccelCmd[9 * every]).toBeCloseTo(bins.longitudinal.centres[0]!, 5);
    const stats = runtime.episodeStats();
    expect(stats.decisions).toBe(10);
    expect(stats.faults).toEqual({ late: 4, 'wrong-length': 1, 'out-of-range': 1, nan: 1, error: 1 });
    expect(stats.responses).toEqual({ 'last-plan': 7, 'safe-stop': 1 });
    expect(stats.latenciesMs).toEqual(script.map((s) => s.ms));
    expect(log.plans).not.toBeNull(); // a plan at every decision, fallbacks included
    runtime.reset(scenario);
    expect(runtime.episodeStats().decisions).toBe(0);
  });

  it('a safe stop at once when the first answer is unusable', () => {
    const clock = new ManualClock();
    const model = new ScriptedModel(clock, [{ ids: [1, 2, 3], ms: 1 }]);
    const runtime = new VehicleRuntime(model, { budgetMs: BUDGET, stopDecel: STOP, clock });
    const log = runEpisode({ ...createScenario('highway-cruise', 3), horizon: 10 }, runtime);
    expect(runtime.episodeStats().responses).toEqual({ 'last-plan': 0, 'safe-stop': 2 });
    expect(log.egoAccelCmd[0]).toBeCloseTo(-STOP, 6); // highway speed: the full bounded deceleration
    expect(log.speed[10]!).toBeLessThan(log.speed[0]!);
  });

  it('drives a tiny vehicle file with the same plans as ModelDriver (fast, T=0) when nothing falls back', async () => {
    const runtime = loadVehicleRuntime(file, { budgetMs: NEVER_LATE, stopDecel: STOP });
    const driver = loadModelDriver(ckptDir, { mode: 'fast', control: 'mode', threads: 1 });
    const scenario = { ...createScenario('nominal-urban', 2), horizon: 40 };
    const byRuntime = runEpisode(scenario, runtime);
    const byDriver = runEpisode(scenario, driver);
    const plans = runtime.decisions.map((d) => (d.kind === 'plan' ? Array.from(d.bins) : d.kind));
    expect(plans).toEqual(driver.replans.map((r) => Array.from(r.bins)));
    expect(plans).toHaveLength(8);
    expect(byRuntime.egoAccelCmd).toEqual(byDriver.egoAccelCmd);
    expect(byRuntime.plans?.xy).toEqual(byDriver.plans?.xy);
    await Promise.all([runtime.dispose(), driver.dispose()]);
  }, 60_000);

  it('drives a suite through the runtime in worker threads with the same counts as in this thread', async () => {
    const episodes = [
      { family: 'cut-in' as const, seed: 1 },
      { family: 'lead-brake' as const, seed: 2 },
    ];
    const suite = { name: 'two', version: 1, description: 'two episodes', episodes };
    const every = Math.round(bins.stepSeconds / DT); // [steps] between decisions
    const decisions = episodes.reduce(
      (n, e) => n + Math.ceil(createScenario(e.family, e.seed).horizon / every),
      0,
    );
    const spec = { kind: 'vehicle' as const, file, budgetMs: NEVER_LATE, stopDecel: STOP };
    const here = await evaluateSpec(suite, spec, { quiet: true });
    const threads = await evaluateSpec(suite, spec, { quiet: true, workers: 2 });
    expect(here.runtime?.decisions).toBe(decisions);
    expect(threads.runtime?.decisions).toBe(decisions);
    expect(threads.runtime?.fallbacks).toEqual({ 'last-plan': 0, 'safe-stop': 0 });
    expect(threads.episodes).toEqual(here.episodes);
    expect(here.runtime!.latency.p99Ms).toBeGreaterThanOrEqual(here.runtime!.latency.p50Ms);
  }, 120_000);
});
