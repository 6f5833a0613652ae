// The in-car runtime as a simulator Driver: every plan step (0.5 s) it reads the sensors, asks the action model
// under the watchdog's latency budget, checks the answer and drives its first step, else falls back (the last
// valid plan shifted by the time since it was made, then a safe stop), counting each fault and response.
// Not the model (vehicle-model.ts), the checks (fallback.ts) nor scoring (eval/).

import { UsageError } from '../core/errors.js';
import { tokenControls } from '../labels/action-tokens.js';
import { plannedPositions, senseFrame } from '../policy/model-driver.js';
import {
  type Driver,
  type DriverOutput,
  DT,
  type EgoAction,
  type Scenario,
  type WorldState,
} from '../sim/types.js';
import { type Clock, systemClock } from './clock.js';
import { checkActions, type Fault, type HeldPlan, type Response, safeStop, shiftedStep } from './fallback.js';
import { type DecisionStats, type InstrumentedDriver, StatsCounter } from './stats.js';
import type { ActionModel } from './vehicle-model.js';
import { Watchdog } from './watchdog.js';

export interface RuntimeOptions {
  readonly budgetMs: number; // [ms] per decision (recipe runtime.budgetMs)
  readonly stopDecel: number; // [m/s2] the safe stop's deceleration (recipe runtime.stopDecel)
  readonly clock?: Clock; // default systemClock
  readonly instruction?: string; // overrides the scenario's instruction
}

/** One decision, for logs and tests: the bins when the answer was used, else the fault and the response. */
export type Decision =
  | { readonly step: number; readonly kind: 'plan'; readonly bins: Int32Array; readonly ms: number }
  | {
      readonly step: number;
      readonly kind: 'fallback';
      readonly fault: Fault;
      readonly response: Response;
      readonly detail: string;
      readonly ms: number;
    };

export class VehicleRuntime implements Driver, InstrumentedDriver {
  readonly name: string;
  private readonly replanEvery: number; // [steps] one plan step
  private readonly watchdog: Watchdog;
  private held: HeldPlan | null = null; // the last valid plan
  private action: EgoAction = { accel: 0, curvature: 0 };
  private log: Decision[] = [];
  private stats = new StatsCounter();

  constructor(
    private readonly model: ActionModel,
    private readonly options: RuntimeOptions,
  ) {
    if (!(options.budgetMs > 0))
      throw new UsageError(`latency budget must be > 0 ms, got ${options.budgetMs}`);
    if (!(options.stopDecel > 0))
      throw new UsageError(`safe-stop deceleration must be > 0, got ${options.stopDecel}`);
    this.name = `runtime-${model.name}`;
    this.replanEvery = Math.round(model.bins.stepSeconds / DT);
    this.watchdog = new Watchdog(options.clock ?? systemClock, options.budgetMs);
  }

  get decisions(): readonly Decision[] {
    return this.log;
  }

  episodeStats(): DecisionStats {
    return this.stats.snapshot();
  }

  reset(_scenario: Scenario): void {
    this.held = null;
    this.action = { accel: 0, curvature: 0 };
    this.log = [];
    this.stats = new StatsCounter();
  }

  act(scenario: Scenario, state: WorldState): DriverOutput {
    if (state.step % this.replanEvery !== 0 && this.log.length > 0) return { action: this.action };
    const { bins: actionBins, tokenizer } = this.model;
    const frame = senseFrame(scenario, state);
    const instruction = this.options.instruction ?? scenario.instruction;
    const timed = this.watchdog.time(() => this.model.actions(frame, instruction));
    this.stats.decision(timed.ms);
    let fault: Fault;
    let detail: string;
    if (timed.kind === 'error') {
      [fault, detail] = ['error', timed.error instanceof Error ? timed.error.message : String(timed.error)];
    } else if (timed.late) {
      [fault, detail] = ['late', `${timed.ms.toFixed(1)} ms > ${this.watchdog.budgetMs} ms`];
    } else {
      const checked = checkActions(timed.value, tokenizer, actionBins.steps);
      if (checked.ok) {
        const controls = tokenControls(actionBins, checked.bins); // (H, 2)
        this.held = { step: state.step, controls };
        this.action = { accel: controls[0]!, curvature: controls[1]! };
        this.log.push({ step: state.step, kind: 'plan', bins: checked.bins, ms: timed.ms });
        return { action: this.action, plan: plannedPositions(state, controls, actionBins.stepSeconds) };
      }
      [fault, detail] = [checked.fault, checked.detail];
    }
    return this.fallBack(state, fault, detail, timed.ms);
  }

  /** The last valid plan's step for now when it has one left, else a safe stop; its plan is what the car will do. */
  private fallBack(state: WorldState, fault: Fault, detail: string, ms: number): DriverOutput {
    const { stepSeconds, steps } = this.model.bins;
    const k = this.held && shiftedStep(this.held, state.step, stepSeconds);
    const response: Response = k === null || k === undefined ? 'safe-stop' : 'last-plan';
    const speed = state.agents.speed[0]!;
    const stop = safeStop(speed, this.action.curvature, this.options.stopDecel);
    // (H, 2): what is left of the held plan, then braking on the last curvature
    const controls = new Float64Array(2 * steps);
    const left = response === 'last-plan' ? this.held!.controls.subarray(2 * k!) : new Float64Array(0);
    controls.set(left);
    for (let j = left.length; j < controls.length; j += 2) {
      controls[j] = -this.options.stopDecel;
      controls[j + 1] = left.length > 0 ? left[left.length - 1]! : stop.curvature;
    }
    this.action = response === 'last-plan' ? { accel: controls[0]!, curvature: controls[1]! } : stop;
    this.stats.fallback(fault, response);
    this.log.push({ step: state.step, kind: 'fallback', fault, response, detail, ms });
    return { action: this.action, plan: plannedPositions(state, controls, stepSeconds) };
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
