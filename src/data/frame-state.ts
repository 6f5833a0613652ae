// The world state at a lake frame, rebuilt by replaying the clip's driver from its scenario's start (the simulator
// is deterministic), with ego's past for HC. Not scoring (eval/open-loop-plans.ts); on-policy clips are not replayed.
//
// It lives in data/ because it reads the lake's clips table and the run's settings; unlike generation it imports
// the simulator directly (deps.ts wires generation's, which tests replace with fakes: a replay of a fake is useless).

import { assertNever } from '../core/assert.js';
import { InputError } from '../core/errors.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { PerturbedDriver } from '../sim/agents/perturbed-driver.js';
import { type EgoHistory, HISTORY_STEPS } from '../sim/plan-scorer/index.js';
import { createScenario } from '../sim/scenarios/index.js';
import { cloneState } from '../sim/state.js';
import {
  type Driver,
  SCENARIO_FAMILIES,
  type Scenario,
  type ScenarioFamily,
  type WorldState,
} from '../sim/types.js';
import { World } from '../sim/world.js';
import { runSettings } from './generate.js';
import type { LakeReader } from './lake-reader.js';
import { dataPreset } from './presets.js';
import { CLIP_SOURCES, type ClipSource } from './records.js';
import { sqlList } from './sql.js';

/** How a clip was driven, as the clips table says. */
export interface FrameClip {
  readonly clipId: string;
  readonly family: ScenarioFamily;
  readonly seed: number;
  readonly source: ClipSource;
}

/** A lake frame's world: replayed, or why not (an on-policy clip was driven by a model the lake does not keep). */
export type FrameState =
  | {
      readonly kind: 'replayed';
      readonly scenario: Scenario;
      readonly state: WorldState; // at the frame's step
      readonly history: EgoHistory; // ego's last HISTORY_STEPS states before it (fewer near the start)
    }
  | { readonly kind: 'not-replayable'; readonly source: ClipSource };

/** The clips table's rows of `clipIds`, by clip id. */
export async function frameClips(
  lake: LakeReader,
  clipIds: readonly string[],
): Promise<Map<string, FrameClip>> {
  const ids = [...new Set(clipIds)];
  const out = new Map<string, FrameClip>();
  if (ids.length === 0) return out;
  const rows = await lake.query(
    `select clip_id, family, seed, source from clips where clip_id in (select unnest(${sqlList(ids)}))`,
  );
  for (const r of rows) {
    const family = String(r.family);
    const source = String(r.source);
    const isFamily = (f: string): f is ScenarioFamily => (SCENARIO_FAMILIES as readonly string[]).includes(f);
    const isSource = (s: string): s is ClipSource => (CLIP_SOURCES as readonly string[]).includes(s);
    if (!isFamily(family))
      throw new InputError({ file: lake.out, field: 'clips.family', message: `unknown family ${family}` });
    if (!isSource(source))
      throw new InputError({ file: lake.out, field: 'clips.source', message: `unknown source ${source}` });
    out.set(String(r.clip_id), { clipId: String(r.clip_id), family, seed: Number(r.seed), source });
  }
  return out;
}

/** Rebuilds the worlds of a run folder's lake frames; one per lake (it reads the run's preset once). */
export class FrameStates {
  private readonly alignment: number; // [steps] the perturbed driver's burst alignment: the preset's frameEvery

  constructor(run: string) {
    this.alignment = dataPreset(runSettings(run).preset).frameEvery;
  }

  /** The world at `step` of `clip`: its driver replayed from the scenario's start. */
  at(clip: FrameClip, step: number): FrameState {
    const driver = this.driverOf(clip.source);
    if (!driver) return { kind: 'not-replayable', source: clip.source };
    return { kind: 'replayed', ...replayTo(createScenario(clip.family, clip.seed), driver, step) };
  }

  /** The driver generation drove a clip of `source` with (generate.ts), or null when the lake cannot replay it. */
  private driverOf(source: ClipSource): Driver | null {
    switch (source) {
      case 'expert': // a perturbed clip whose schedule drew no burst is stored as expert: the same driving
        return new ExpertDriver();
      case 'perturbed':
        return new PerturbedDriver(new ExpertDriver(), this.alignment);
      case 'on-policy':
      case 'fleet': // a model drove: replaying needs the model
        return null;
      default:
        return assertNever(source, 'clip source');
    }
  }
}

/** Drives `scenario` from its start with `driver` for `step` steps (as rollout.ts runEpisode does). */
export function replayTo(
  scenario: Scenario,
  driver: Driver,
  step: number,
): { scenario: Scenario; state: WorldState; history: EgoHistory } {
  const world = new World(scenario);
  const from = Math.max(0, step - HISTORY_STEPS);
  const keep = step - from;
  const history = {
    x: new Float32Array(keep),
    y: new Float32Array(keep),
    heading: new Float32Array(keep),
    speed: new Float32Array(keep),
    accel: new Float32Array(keep),
    yawRate: new Float32Array(keep),
  };
  let state = cloneState(scenario.initial);
  let next = cloneState(scenario.initial);
  driver.reset(scenario);
  for (let t = 0; t < step; t++) {
    if (t >= from) {
      const a = state.agents;
      const k = t - from;
      history.x[k] = a.x[0]!;
      history.y[k] = a.y[0]!;
      history.heading[k] = a.heading[0]!;
      history.speed[k] = a.speed[0]!;
      history.accel[k] = a.accel[0]!;
      history.yawRate[k] = a.yawRate[0]!;
    }
    world.stepInto(state, driver.act(scenario, state).action, next);
    [state, next] = [next, state];
  }
  return { scenario, state, history };
}
