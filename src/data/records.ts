// The records generation hands to the lake: a clip (one scenario's expert episode) with its sampled frames and
// its episode metrics, plus the sink interface the lake implements. Types only; no storage and no labelling.

import type { CotTrace } from '../labels/cot.js';
import type { FrameLabels } from '../labels/frame-labels.js';
import type { Instruction } from '../labels/instructions.js';
import type { QaPair } from '../labels/qa.js';
import type { ScenarioFamily } from '../sim/types.js';

/** One sampled frame, everything the lake stores about it. */
export interface FrameRecord {
  readonly step: number;
  readonly t: number; // [s]
  readonly camera: Uint8Array; // sensors/camera.ts layout
  readonly bev: Uint8Array; // sensors/bev.ts layout
  readonly ego: { readonly speed: number; readonly accel: number; readonly yawRate: number }; // [m/s, m/s2, rad/s]
  readonly instruction: Instruction;
  readonly labels: FrameLabels;
  readonly qa: readonly QaPair[];
  readonly cot: CotTrace;
  readonly actions: Int32Array; // (2H,) bins, interleaved longitudinal, lateral
}

/** How the expert's whole episode went, from the simulator's metrics; what curation filters on. */
export interface ClipMetrics {
  readonly progress: number; // [m] along the route
  readonly collisions: number; // at-fault collisions
  readonly redLightViolations: number; // stop-line crossings on red
  readonly offroad: boolean; // ego left the drivable area at some state
  readonly comfortable: boolean; // every state inside the comfort bounds
  readonly pdms: number; // in [0, 1]
  readonly epdms: number; // in [0, 1]
}

/**
 * Who drove a clip: the expert; the expert with bursts of noise on its commands (frames keep only clean futures);
 * or another driver (a model), each frame labelled by the expert taking over from it (data/on-policy.ts).
 */
export const CLIP_SOURCES = ['expert', 'perturbed', 'on-policy'] as const;
export type ClipSource = (typeof CLIP_SOURCES)[number];

/** Which clip: enough to find its files without reading any. */
export interface ClipKey {
  readonly clipId: string; // content id: same family, seed, bins and generator give the same id
  readonly family: ScenarioFamily;
  readonly seed: number;
}

export interface ClipRecord extends ClipKey {
  readonly generator: number; // GENERATOR_VERSION that made it
  readonly source: ClipSource;
  readonly scenarioInstruction: string;
  readonly metrics: ClipMetrics;
  readonly frames: readonly FrameRecord[];
}

/** Where clips go: the lake writes a clip whole (or not at all) and knows which clips it holds. */
export interface ClipSink {
  hasClip(key: ClipKey): Promise<boolean>;
  writeClip(clip: ClipRecord): Promise<void>;
  close(): Promise<void>;
}
