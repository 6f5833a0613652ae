// Closed-loop episodes: a driver drives ego through a scenario's world for its horizon, every state recorded
// into an EpisodeLog. Also the expert's episode, which data generation and EP's reference progress read.
// Not scoring (metrics/) nor the drivers themselves.

import { assert } from '../core/assert.js';
import { ExpertDriver } from './agents/expert/expert.js';
import { type Burst, PerturbedDriver } from './agents/perturbed-driver.js';
import { cloneState } from './state.js';
import {
  type Driver,
  type DriverOutput,
  type EpisodeLog,
  PLAN_EVERY,
  PLAN_HORIZON,
  PLAN_SPACING,
  type Scenario,
  type WorldState,
} from './types.js';
import { World } from './world.js';

/** Writes an episode into an EpisodeLog state by state: (A, T) columns, agent-major. */
export class EpisodeRecorder {
  private readonly episode: EpisodeLog;
  private planXy: Float32Array | null = null; // (K, PLAN_HORIZON, 2) once the driver plans
  private states = 0;
  private commands = 0;

  constructor(scenario: Scenario, steps: number) {
    const a = scenario.initial.agents;
    const n = a.count * (steps + 1);
    this.episode = {
      family: scenario.family,
      seed: scenario.seed,
      agents: a.count,
      steps,
      kind: a.kind.slice(),
      length: a.length.slice(),
      width: a.width.slice(),
      valid: new Uint8Array(n),
      x: new Float32Array(n),
      y: new Float32Array(n),
      heading: new Float32Array(n),
      speed: new Float32Array(n),
      accel: new Float32Array(n),
      yawRate: new Float32Array(n),
      lights: new Uint8Array(scenario.map.lights.length * (steps + 1)),
      egoAccelCmd: new Float32Array(steps),
      egoCurvatureCmd: new Float32Array(steps),
      plans: null,
    };
  }

  /** The episode so far, with the plans the driver made. */
  get log(): EpisodeLog {
    if (!this.planXy) return this.episode;
    const plans = { every: PLAN_EVERY, horizon: PLAN_HORIZON, spacing: PLAN_SPACING, xy: this.planXy };
    return { ...this.episode, plans };
  }

  /** Appends the next state (the first call records the initial state). */
  record(state: WorldState): void {
    const log = this.episode;
    const t = this.states++;
    const a = state.agents;
    const n = log.steps + 1;
    for (let i = 0; i < a.count; i++) {
      const k = i * n + t;
      log.valid[k] = a.valid[i];
      log.x[k] = a.x[i];
      log.y[k] = a.y[i];
      log.heading[k] = a.heading[i];
      log.speed[k] = a.speed[i];
      log.accel[k] = a.accel[i];
      log.yawRate[k] = a.yawRate[i];
    }
    for (let l = 0; l < state.lights.length; l++) log.lights[l * n + t] = state.lights[l];
  }

  /** Appends ego's command for the next step, and the plan when the driver made one at this step. */
  command(output: DriverOutput): void {
    const t = this.commands++;
    this.episode.egoAccelCmd[t] = output.action.accel;
    this.episode.egoCurvatureCmd[t] = output.action.curvature;
    if (!output.plan) return;
    assert(
      t % PLAN_EVERY === 0,
      () => `plans are made every ${PLAN_EVERY} steps from step 0; got one at step ${t}`,
    );
    assert(output.plan.length === PLAN_HORIZON * 2, () => `a plan has ${PLAN_HORIZON} (x, y) points`);
    const size = PLAN_HORIZON * 2;
    this.planXy ??= new Float32Array((Math.floor(this.episode.steps / PLAN_EVERY) + 1) * size);
    this.planXy.set(output.plan, (t / PLAN_EVERY) * size);
  }
}

/** Drives the scenario for its horizon with `driver`; the same scenario and driver give the same bytes. */
export function runEpisode(scenario: Scenario, driver: Driver): EpisodeLog {
  const world = new World(scenario);
  const recorder = new EpisodeRecorder(scenario, scenario.horizon);
  let state = cloneState(scenario.initial);
  let next = cloneState(scenario.initial);
  driver.reset(scenario);
  recorder.record(state);
  for (let t = 0; t < scenario.horizon; t++) {
    const output = driver.act(scenario, state);
    recorder.command(output);
    world.stepInto(state, output.action, next);
    [state, next] = [next, state];
    recorder.record(state);
  }
  return recorder.log;
}

/** The expert's episode on a scenario: the demonstration and the reference for ego progress. */
export function expertLog(scenario: Scenario): EpisodeLog {
  return runEpisode(scenario, new ExpertDriver());
}

/**
 * The expert's episode with bursts of noise on its commands (bursts end on multiples of `alignment` steps):
 * demonstrations of recovering. The bursts come with it so that callers can avoid their steps.
 */
export function perturbedExpertLog(
  scenario: Scenario,
  alignment: number,
): { log: EpisodeLog; bursts: readonly Burst[] } {
  const driver = new PerturbedDriver(new ExpertDriver(), alignment);
  const log = runEpisode(scenario, driver);
  return { log, bursts: driver.schedule };
}

/** Replays a logged episode's ego commands up to a step, then hands the wheel to the expert. */
class TakeoverDriver implements Driver {
  readonly name = 'takeover';
  private readonly expert = new ExpertDriver();
  tookOver = true; // false once the expert found no lane to take over in

  constructor(
    private readonly log: EpisodeLog,
    private readonly step: number,
  ) {}

  reset(scenario: Scenario): void {
    this.expert.reset(scenario);
  }

  act(scenario: Scenario, state: WorldState): DriverOutput {
    const t = state.step;
    if (t < this.step)
      return { action: { accel: this.log.egoAccelCmd[t], curvature: this.log.egoCurvatureCmd[t] } };
    if (t === this.step) this.tookOver = this.expert.takeOver(scenario, state);
    return this.expert.act(scenario, state);
  }
}

/**
 * The episode of `log` (any driver's, on `scenario`) up to `step`, then `future` steps of the expert driving on
 * from that state: what the expert would have done there, the label of an on-policy frame (DAgger). The world is
 * deterministic, so replaying the logged commands reproduces the logged states. Null when ego is off every lane.
 */
export function expertTakeover(
  scenario: Scenario,
  log: EpisodeLog,
  step: number,
  future: number,
): EpisodeLog | null {
  const driver = new TakeoverDriver(log, step);
  const spliced = runEpisode({ ...scenario, horizon: step + future }, driver);
  return driver.tookOver ? spliced : null;
}
