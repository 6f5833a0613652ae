// The vehicle file as an action model: one stock onnxruntime session (one intra-op thread) that turns a sensor
// frame and an instruction into the raw action token ids. Not the checks on them (fallback.ts) nor the loop (runtime.ts).

import { UsageError } from '../core/errors.js';
import { f32, i64 } from '../engine/engine.js';
import { SyncOrtEngine } from '../engine/sync-engine.js';
import type { ActionBins } from '../labels/action-bins.js';
import { drivingPrompt } from '../model/prompt.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { CAMERA_CHANNELS, type VlaFrame } from '../model/vla.js';
import { readVehicleFile, type VehicleFile } from './vehicle-file.js';

/** What the runtime drives with: a frame in, 2H action token ids out, unchecked (a model may return garbage). */
export interface ActionModel {
  readonly name: string;
  readonly tokenizer: Tokenizer;
  readonly bins: ActionBins;
  /** The token ids the model answers for one frame, as numbers (NaN stays NaN); blocks until it answers. */
  actions(frame: VlaFrame, instruction: string): readonly number[];
  dispose(): Promise<void>;
}

const CAR_THREADS = 1; // [threads] the car's budget is measured on one core

export class VehicleModel implements ActionModel {
  readonly name: string;
  readonly tokenizer: Tokenizer;
  readonly bins: ActionBins;
  private readonly engine: SyncOrtEngine;

  constructor(private readonly vehicle: VehicleFile) {
    this.name = `vehicle-${vehicle.preset}-${vehicle.weights}`;
    this.tokenizer = vehicle.tokenizer;
    this.bins = vehicle.bins;
    this.engine = SyncOrtEngine.fromBytes(vehicle.bytes, vehicle.inputs, CAR_THREADS);
  }

  actions(frame: VlaFrame, instruction: string): readonly number[] {
    const { config: c, promptTokens: S } = this.vehicle;
    const tok = this.tokenizer;
    const ids = drivingPrompt(tok, instruction, 'fast'); // the file decodes fast mode
    if (ids.length > S)
      throw new UsageError(`instruction of ${ids.length} prompt tokens exceeds the file's ${S}`);
    const prompt = Array.from({ length: S }, (_, i) => ids[i] ?? tok.special('<pad>')); // (S,)
    const out = this.engine.runSync({
      camera: f32([c.camera.height, c.camera.width, CAMERA_CHANNELS], frame.camera),
      bev: f32([c.bev.channels, c.bev.size, c.bev.size], frame.bev),
      speed: f32([1], [frame.ego.speed]),
      prompt: i64([1, S], prompt),
      length: i64([1], [ids.length]),
    });
    return Array.from(out.actions!.data as BigInt64Array, Number);
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }
}

/** The action model of the vehicle file at `file`. */
export function loadVehicleModel(file: string): VehicleModel {
  return new VehicleModel(readVehicleFile(file));
}
