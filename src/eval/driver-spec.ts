// A driver as plain data that crosses a worker boundary: the expert, a checkpoint with its decoding settings or a vehicle
// file with its runtime's; each process or worker thread builds its own driver. Not the drivers (sim/agents, policy/, runtime/).

import type { DriveMode } from '../model/prompt.js';
import type { ControlRule } from '../policy/model-driver.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import type { Driver } from '../sim/types.js';

export type DriverSpec =
  | { readonly kind: 'expert' }
  | {
      readonly kind: 'model';
      readonly checkpoint: string; // a folder `drivefm train` wrote
      readonly mode: DriveMode;
      readonly control: ControlRule;
      readonly caution: number; // the cautious rule's share of the acceleration belief, in (0, 1]
      readonly seed: number; // decoding seed, reset each episode
    }
  | {
      readonly kind: 'vehicle';
      readonly file: string; // a vehicle .onnx (compress/vehicle.ts), driven through the in-car runtime
      readonly budgetMs: number; // [ms] latency budget per decision
      readonly stopDecel: number; // [m/s2] the safe stop's deceleration
    };

/** Where an evaluation takes its drivers from: `make()` for each episode, `dispose()` once at the end. */
export interface DriverSource {
  readonly make: () => Driver;
  /** Frees what the drivers hold (a model driver's worker thread and onnxruntime session). */
  readonly dispose: () => Promise<void>;
}

/**
 * The drivers of the spec: a new expert each episode; the model is loaded once and reset by runEpisode before each
 * episode, so an episode's result does not depend on which episodes came before. The model's runtime
 * (onnxruntime, the engine) is imported only when a model drives: an expert's worker thread starts in about half
 * the CPU time.
 */
export async function driverFactory(spec: DriverSpec): Promise<DriverSource> {
  switch (spec.kind) {
    case 'expert':
      return { make: () => new ExpertDriver(), dispose: async () => {} };
    case 'model': {
      const { loadModelDriver } = await import('../policy/model-driver.js');
      const { mode, seed, control, caution } = spec;
      const driver = loadModelDriver(spec.checkpoint, { mode, seed, control, caution });
      return { make: () => driver, dispose: () => driver.dispose() };
    }
    case 'vehicle': {
      const { loadVehicleRuntime } = await import('../runtime/load.js');
      const driver = loadVehicleRuntime(spec.file, { budgetMs: spec.budgetMs, stopDecel: spec.stopDecel });
      return { make: () => driver, dispose: () => driver.dispose() };
    }
  }
}
