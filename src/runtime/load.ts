// The runtime over a vehicle file in one call: what `drivefm drive`, evaluation workers and the bench use.
// Not the runtime (runtime.ts) nor the file reader (vehicle-file.ts).

import { type RuntimeOptions, VehicleRuntime } from './runtime.js';
import { loadVehicleModel } from './vehicle-model.js';

/** The in-car runtime driving the vehicle file at `file` (one onnxruntime thread). */
export function loadVehicleRuntime(file: string, options: RuntimeOptions): VehicleRuntime {
  return new VehicleRuntime(loadVehicleModel(file), options);
}
