// The sensors' public face: render a logged frame (data generation) or observe a live state (closed loop),
// and the image shapes the model is built for. Not the renderers themselves (camera.ts, bev.ts).

import type { EpisodeLog, Scenario, WorldState } from '../sim/types.js';
import { renderBev } from './bev.js';
import { renderCamera } from './camera.js';
import { type EgoState, egoState } from './ego-state.js';
import { createSnapshotBuffer, snapshotFromLog, snapshotFromState } from './scene.js';

export { BEV_AHEAD, BEV_CELL, BEV_CHANNELS, BEV_SIZE, BevChannel, bevCell, renderBev } from './bev.js';
export { type BirdseyeOptions, drawBirdseye } from './birdseye.js';
export { CAMERA_HEIGHT, CAMERA_WIDTH, cameraPose, projectPoint, renderCamera } from './camera.js';
export { EGO_STATE_FIELDS, type EgoState, egoState, egoStateVector } from './ego-state.js';
export { encodePng } from './png.js';
export { type SceneSnapshot, snapshotFromLog, snapshotFromState } from './scene.js';

export interface SensorFrame {
  readonly camera: Uint8Array; // (CAMERA_HEIGHT, CAMERA_WIDTH, 3) RGB
  readonly bev: Uint8Array; // (BEV_CHANNELS, BEV_SIZE, BEV_SIZE) 0/255
}

const logBuffer = createSnapshotBuffer(); // reused: render() copies one step of the log into it

/** Camera and BEV of `step` of a logged episode (GenerateDeps.render). Fresh arrays each call. */
export function render(scenario: Scenario, log: EpisodeLog, step: number): SensorFrame {
  const scene = snapshotFromLog(scenario, log, step, logBuffer);
  return { camera: renderCamera(scene), bev: renderBev(scene) };
}

/** Everything a learned driver senses in a live state: the images and ego's state. */
export function observe(scenario: Scenario, state: WorldState): SensorFrame & { readonly ego: EgoState } {
  const scene = snapshotFromState(scenario, state);
  return { camera: renderCamera(scene), bev: renderBev(scene), ego: egoState(scene) };
}
