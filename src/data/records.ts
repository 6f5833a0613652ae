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
 * another driver (a model), each frame labelled by the expert taking over from it (fleet/on-policy.ts); or a
 * fleet car, a window around a trigger's event, labelled the same way (fleet/upload.ts).
 */
export const CLIP_SOURCES = ['expert', 'perturbed', 'on-policy', 'fleet'] as const;
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
  readonly upload?: UploadRecord; // fleet clips: why the car uploaded it
  readonly autoLabels?: readonly AutoLabelRecord[]; // fleet clips: the teacher's and the expert's labels
}

/** Why and when a fleet car uploaded a clip (the uploads table). */
export interface UploadRecord {
  readonly trigger: string; // fleet/triggers TriggerName
  readonly round: number;
  readonly carModel: string; // content id of the car model
  readonly eventStep: number; // [steps]
  readonly windowStart: number; // [steps]
  readonly windowEnd: number; // [steps]
  readonly value: number; // the trigger's measure at the event
  readonly failed: boolean; // the simulator's truth: the car failed inside the window
}

/** One label of a fleet clip's frame by one labeller, with its provenance (the auto_labels table). */
export interface AutoLabelRecord {
  readonly step: number;
  readonly labeller: 'teacher' | 'expert';
  readonly modelVersion: string; // content id of the labelling model; 'privileged' for the expert
  readonly round: number;
  readonly category: string; // a LABEL_CATEGORIES entry, 'cot' or 'actions'
  readonly key: string;
  readonly label: string;
}

/** Where clips go: the lake writes a clip whole (or not at all) and knows which clips it holds. */
export interface ClipSink {
  hasClip(key: ClipKey): Promise<boolean>;
  writeClip(clip: ClipRecord): Promise<void>;
  close(): Promise<void>;
}
