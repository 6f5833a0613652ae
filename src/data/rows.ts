// A clip record as lake rows: one list of rows per table, each row keyed by the columns of schema.ts.
// Not the writing (lake.ts) and not the labelling: this only flattens what generation computed.

import { LABEL_CATEGORIES } from '../labels/qa.js';
import type { ClipRecord } from './records.js';
import { type Row, SCHEMA_VERSION, type TableName } from './schema.js';

export type ClipRows = { readonly [T in TableName]: readonly Row<T>[] };

/** JSON text of a label, with typed arrays (trajectories, occupancy grids) written as plain arrays. */
export function labelJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
}

export function clipRows(clip: ClipRecord): ClipRows {
  const key = { schema_version: SCHEMA_VERSION, clip_id: clip.clipId };
  const m = clip.metrics;
  return {
    clips: [
      {
        ...key,
        seed: clip.seed,
        generator: clip.generator,
        source: clip.source,
        scenario_instruction: clip.scenarioInstruction,
        frames: clip.frames.length,
        progress: m.progress,
        collisions: m.collisions,
        red_light_violations: m.redLightViolations,
        offroad: m.offroad,
        comfortable: m.comfortable,
        pdms: m.pdms,
        epdms: m.epdms,
      },
    ],
    frames: clip.frames.map((f) => ({
      ...key,
      step: f.step,
      t: f.t,
      camera: f.camera,
      bev: f.bev,
      ego_speed: f.ego.speed,
      ego_accel: f.ego.accel,
      ego_yaw_rate: f.ego.yawRate,
      navigation: f.instruction.navigation,
      behaviour: f.instruction.behaviour,
      instruction: f.instruction.text,
    })),
    labels: clip.frames.flatMap((f) =>
      LABEL_CATEGORIES.map((category) => ({
        ...key,
        step: f.step,
        category,
        label: labelJson(f.labels[category]),
      })),
    ),
    qa: clip.frames.flatMap((f) =>
      f.qa.map((q) => ({
        ...key,
        step: f.step,
        category: q.category,
        key: q.key,
        question: q.question,
        answer: q.answer,
      })),
    ),
    cot: clip.frames.map((f) => ({
      ...key,
      step: f.step,
      speed_decision: f.cot.speed,
      path_decision: f.cot.path,
      critical: f.cot.critical,
      long: f.cot.long,
      short: f.cot.short,
    })),
    actions: clip.frames.map((f) => ({ ...key, step: f.step, tokens: Array.from(f.actions) })),
    uploads: clip.upload
      ? [
          {
            ...key,
            trigger: clip.upload.trigger,
            round: clip.upload.round,
            car_model: clip.upload.carModel,
            event_step: clip.upload.eventStep,
            window_start: clip.upload.windowStart,
            window_end: clip.upload.windowEnd,
            value: clip.upload.value,
            failed: clip.upload.failed,
          },
        ]
      : [],
    auto_labels: (clip.autoLabels ?? []).map((l) => ({
      ...key,
      step: l.step,
      labeller: l.labeller,
      model_version: l.modelVersion,
      round: l.round,
      category: l.category,
      key: l.key,
      label: l.label,
    })),
  };
}
