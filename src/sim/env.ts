// A Gymnasium-style wrapper for users coming from Python simulators: reset(seed) / step(action) over one
// scenario family, recording the episode so it can be scored when it ends. Not the dynamics (world.ts).

import { type EpisodeScore, scoreEpisode } from './metrics/index.js';
import { EP_MIN_PROGRESS } from './metrics/progress.js';
import { routeProgress, routeTrack } from './metrics/route.js';
import { EpisodeRecorder, expertLog } from './rollout.js';
import { createScenario, parseFamily } from './scenarios/index.js';
import { cloneState } from './state.js';
import type { EgoAction, EpisodeLog, Scenario, ScenarioFamily, WorldState } from './types.js';
import { World } from './world.js';

export interface StepResult {
  readonly observation: WorldState;
  /** Route progress of the step over the expert's whole-episode progress: sums to EP's numerator / denominator. */
  readonly reward: number;
  readonly terminated: boolean; // never: episodes end by time limit
  readonly truncated: boolean; // the scenario's horizon is reached
  readonly info: { readonly step: number; readonly score?: EpisodeScore; readonly log?: EpisodeLog };
}

export class DrivingEnv {
  readonly family: ScenarioFamily;
  private scenario: Scenario | null = null;
  private world: World | null = null;
  private state: WorldState | null = null;
  private recorder: EpisodeRecorder | null = null;
  private reference = 0; // [m] the expert's route progress on this scenario

  constructor(family: string) {
    this.family = parseFamily(family);
  }

  /** Starts scenario `seed` of the family; returns the initial state. */
  reset(seed: number): { observation: WorldState; info: { scenario: Scenario } } {
    const scenario = createScenario(this.family, seed);
    this.scenario = scenario;
    this.world = new World(scenario);
    this.state = cloneState(scenario.initial);
    this.recorder = new EpisodeRecorder(scenario, scenario.horizon);
    this.recorder.record(this.state);
    this.reference = Math.max(routeProgress(scenario, expertLog(scenario)), EP_MIN_PROGRESS);
    return { observation: this.state, info: { scenario } };
  }

  step(action: EgoAction): StepResult {
    if (!this.scenario || !this.world || !this.state || !this.recorder)
      throw new Error('call reset() before step()');
    const before = this.state.agents;
    const xs = [before.x[0], 0];
    const ys = [before.y[0], 0];
    this.recorder.command({ action });
    this.state = this.world.step(this.state, action);
    this.recorder.record(this.state);
    xs[1] = this.state.agents.x[0];
    ys[1] = this.state.agents.y[0];
    const track = routeTrack(this.scenario.map, this.scenario.route, xs, ys, 2);
    const reward = (track.s[1] - track.s[0]) / this.reference;
    const truncated = this.state.step >= this.scenario.horizon;
    if (!truncated)
      return {
        observation: this.state,
        reward,
        terminated: false,
        truncated,
        info: { step: this.state.step },
      };
    const log = this.recorder.log;
    const score = scoreEpisode(this.scenario, log, { referenceProgress: this.reference });
    return {
      observation: this.state,
      reward,
      terminated: false,
      truncated,
      info: { step: this.state.step, score, log },
    };
  }
}
