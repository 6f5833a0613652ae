// A Gymnasium-style wrapper for users coming from Python simulators: reset(seed) / step(action) over one
// scenario family, recording the episode and scoring it when it ends. Not the dynamics (world.ts) and not a reward
// of its own: the reward is a metrics/reward.ts Reward (named metric terms and weights) of the scored episode.

import { type ContextOptions, type EpisodeScore, referenceOptions, scoreEpisode } from './metrics/index.js';
import type { Reward } from './metrics/reward.js';
import { EpisodeRecorder, expertLog } from './rollout.js';
import { createScenario, parseFamily } from './scenarios/index.js';
import { cloneState } from './state.js';
import type { EgoAction, EpisodeLog, Scenario, ScenarioFamily, WorldState } from './types.js';
import { World } from './world.js';

export interface StepResult {
  readonly observation: WorldState;
  /** 0 until the episode ends; then the Reward of the whole scored episode (its metrics need the whole episode). */
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
  private reference: ContextOptions = {}; // EP's reference: the expert's episode on this scenario

  /** `reward` weighs the episode's metrics, e.g. new Reward({ 'safety.nc': 10, 'efficiency.ep': 1 }). */
  constructor(
    family: string,
    private readonly reward: Reward,
  ) {
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
    this.reference = referenceOptions(scenario, expertLog(scenario));
    return { observation: this.state, info: { scenario } };
  }

  step(action: EgoAction): StepResult {
    if (!this.scenario || !this.world || !this.state || !this.recorder)
      throw new Error('call reset() before step()');
    this.recorder.command({ action });
    this.state = this.world.step(this.state, action);
    this.recorder.record(this.state);
    const truncated = this.state.step >= this.scenario.horizon;
    if (!truncated) {
      return {
        observation: this.state,
        reward: 0,
        terminated: false,
        truncated,
        info: { step: this.state.step },
      };
    }
    const log = this.recorder.log;
    const score = scoreEpisode(this.scenario, log, this.reference);
    return {
      observation: this.state,
      reward: this.reward.episode(score).total,
      terminated: false,
      truncated,
      info: { step: this.state.step, score, log },
    };
  }
}
