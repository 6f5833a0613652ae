// The fleet's car: a Driver built from a CarSpec that also reports what the triggers read from it (the model's
// confidence at each replan, its runtime fallbacks), and the shadow wrapper that runs the teacher beside it on
// the same inputs. Not the triggers (triggers/) nor the model's decoding (policy/model-driver.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEIGHTS_FILE } from '../model/checkpoint.js';
import type { DriveMode } from '../model/prompt.js';
import { type ControlRule, loadModelDriver, type ModelDriver } from '../policy/model-driver.js';
import type { Driver, DriverOutput, Scenario, WorldState } from '../sim/types.js';

/**
 * What drives a fleet car, as plain data that crosses a worker boundary. Today a training checkpoint driven by
 * policy/model-driver.ts; the vehicle .onnx through the in-car runtime becomes one more case.
 */
export type CarSpec = {
  readonly kind: 'checkpoint';
  readonly checkpoint: string; // a folder `drivefm train` wrote
  readonly mode: DriveMode;
  readonly control: ControlRule;
  readonly caution: number;
  readonly seed: number; // decoding seed, reset each episode
};

/** One replan of the car: its confidence, and (in shadow mode) how far the teacher's plan lay from its own. */
export interface ReplanTelemetry {
  readonly step: number;
  readonly entropy: number; // [nats] mean over the plan's action tokens
  readonly disagreement: number | null; // [m] max pose distance between the two plans; null without a shadow
}

/** What a car reports about an episode beside its log. */
export interface CarTelemetry {
  readonly replans: readonly ReplanTelemetry[];
  readonly fallbacks: readonly number[]; // steps where the runtime fell back to its safe controls
}

/** A car: a driver that reports its telemetry for the episode it last drove. */
export interface FleetCar extends Driver {
  telemetry(): CarTelemetry;
  dispose(): Promise<void>;
}

/** A checkpoint's car: the model driver's replans carry the entropy; a checkpoint has no runtime fallbacks. */
class CheckpointCar implements FleetCar {
  readonly name: string;
  constructor(readonly driver: ModelDriver) {
    this.name = driver.name;
  }
  reset(scenario: Scenario): void {
    this.driver.reset(scenario);
  }
  act(scenario: Scenario, state: WorldState): DriverOutput {
    return this.driver.act(scenario, state);
  }
  telemetry(): CarTelemetry {
    const replans = this.driver.replans.map((r) => ({
      step: r.step,
      entropy: r.entropy,
      disagreement: null,
    }));
    return { replans, fallbacks: [] };
  }
  dispose(): Promise<void> {
    return this.driver.dispose();
  }
}

/** The car a spec describes. */
export function loadCar(spec: CarSpec): FleetCar {
  switch (spec.kind) {
    case 'checkpoint': {
      const { mode, seed, control, caution } = spec;
      return new CheckpointCar(loadModelDriver(spec.checkpoint, { mode, seed, control, caution }));
    }
  }
}

/** The largest distance [m] between matching points of two (H, 2) plans. */
export function planDistance(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let k = 0; k + 1 < a.length; k += 2)
    worst = Math.max(worst, Math.hypot(a[k]! - b[k]!, a[k + 1]! - b[k + 1]!));
  return worst;
}

/**
 * Shadow mode: the car drives; at each of its replans the teacher plans from the same state (the same sensors
 * and instruction) and the distance between the two plans is recorded. The teacher never drives.
 */
export class ShadowCar implements FleetCar {
  readonly name: string;
  private disagreements = new Map<number, number>(); // step -> [m]

  constructor(
    private readonly car: FleetCar,
    private readonly teacher: Driver,
  ) {
    this.name = car.name;
  }
  reset(scenario: Scenario): void {
    this.car.reset(scenario);
    this.teacher.reset(scenario);
    this.disagreements = new Map();
  }
  act(scenario: Scenario, state: WorldState): DriverOutput {
    const out = this.car.act(scenario, state);
    if (out.plan) {
      const shadow = this.teacher.act(scenario, state).plan;
      if (shadow) this.disagreements.set(state.step, planDistance(out.plan, shadow));
    }
    return out;
  }
  telemetry(): CarTelemetry {
    const { replans, fallbacks } = this.car.telemetry();
    return {
      replans: replans.map((r) => ({ ...r, disagreement: this.disagreements.get(r.step) ?? null })),
      fallbacks,
    };
  }
  async dispose(): Promise<void> {
    await this.car.dispose();
    await this.teacher.dispose?.();
  }
}

/** A short content id of a checkpoint's weights: names the model version on uploads and labels. */
export function weightsId(checkpointDir: string): string {
  const bytes = readFileSync(join(checkpointDir, WEIGHTS_FILE));
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}
