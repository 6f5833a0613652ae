// The tiny vehicle checkpoint of src/compress/fixtures.ts in a temporary folder, and its random frames as the car
// script takes them (flat fields): shared by the vehicle-file and runtime tests. Not a trained model.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomCarFrame, saveTinyVehicleCheckpoint } from '../src/compress/fixtures.js';

export { bins, INSTRUCTION, params, tinyConfig as config, tokenizer } from '../src/compress/fixtures.js';

/** A temporary folder holding the checkpoint (`ckptDir`); `remove()` deletes it. */
export function vehicleFixture(prefix: string): { dir: string; ckptDir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ckptDir = join(dir, 'ckpt');
  saveTinyVehicleCheckpoint(ckptDir);
  return { dir, ckptDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Random sensor bytes, speed and the instruction: a frame as the car script takes it. */
export function randomFrame(seed: number) {
  const { frame, instruction } = randomCarFrame(seed);
  return { camera: frame.camera, bev: frame.bev, speed: frame.ego.speed, instruction };
}
