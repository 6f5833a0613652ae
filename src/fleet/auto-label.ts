// The factory: labels of an uploaded fleet clip by the teacher (the foundation model: its answers to the frame's
// questions of the six categories, its CoT decision and trace, its action tokens) and by the privileged expert
// (the lake's labels of the same frames), each row with its provenance; keyframes where ego's meta-action
// changes; the teacher's agreement with the expert per category. Not the lake writing (upload.ts).

import { egoKinematics } from '../data/ego-kinematics.js';
import type { JsRow } from '../data/lake-reader.js';
import type { AutoLabelRecord, FrameRecord } from '../data/records.js';
import { decodeActionTokens } from '../labels/action-tokens.js';
import { decisionOf } from '../labels/cot.js';
import { egoLeft, FUTURE_STEPS, logIndex, poseAt } from '../labels/frame.js';
import { qaPrompt } from '../model/prompt.js';
import type { ModelDriver } from '../policy/model-driver.js';
import type { EpisodeLog } from '../sim/types.js';

const ANSWER_TOKENS = 12; // [tokens] the longest answer decoded (as open-loop evaluation)
export const PRIVILEGED = 'privileged'; // the expert's model version: it reads the simulator's state

/** Ego's meta-action at `step` of its own log: the speed and path decisions its next 4 s show (clamped). */
export function metaAction(log: EpisodeLog, step: number): string {
  const later = Math.min(step + FUTURE_STEPS, log.steps);
  const start = poseAt(log, 0, step);
  const end = logIndex(log, 0, later);
  const { speed, path } = decisionOf({
    speedNow: start.speed,
    speedLater: log.speed[end]!,
    turned: Math.atan2(
      Math.sin(log.heading[end]! - start.heading),
      Math.cos(log.heading[end]! - start.heading),
    ),
    side: egoLeft(start, log.x[end]!, log.y[end]!),
  });
  return `${speed}/${path}`;
}

/** The window's keyframes: its first state and every `every` steps on where ego's meta-action changes. */
export function keyframes(log: EpisodeLog, start: number, end: number, every: number): number[] {
  const out: number[] = [];
  let previous = '';
  for (let step = start; step <= end; step += every) {
    const action = metaAction(log, step);
    if (action !== previous) out.push(step);
    previous = action;
  }
  return out;
}

/** The decision a plan's tokens show, from ego's speed [m/s]: the teacher's CoT label. */
function planDecision(teacher: ModelDriver, speed: number, tokens: Int32Array): string {
  const poses = decodeActionTokens(
    egoKinematics,
    teacher.checkpoint.bins,
    { x: 0, y: 0, heading: 0, speed },
    tokens,
  );
  const last = poses.at(-1)!;
  const { speed: s, path } = decisionOf({
    speedNow: speed,
    speedLater: last.speed,
    turned: last.heading,
    side: last.y,
  });
  return `${s}/${path}`;
}

/** One labeller's rows for a frame, keyed as the expert's so the two can be compared. */
type Rows = Omit<AutoLabelRecord, 'labeller' | 'modelVersion' | 'round' | 'step'>[];

/** The expert's labels of a frame: the lake's answers, CoT decision and trace, action tokens. */
function expertRows(f: FrameRecord): Rows {
  return [
    ...f.qa.map((q) => ({ category: q.category, key: q.key, label: q.answer.trim() })),
    { category: 'cot', key: 'decision', label: `${f.cot.speed}/${f.cot.path}` },
    { category: 'reasoning', key: 'trace', label: f.cot.long },
    ...Array.from(f.actions, (bin, k) => ({ category: 'actions', key: `t${k}`, label: String(bin) })),
  ];
}

/** The teacher's labels of a frame: it answers the same questions, and plans (its CoT, its tokens). */
function teacherRows(teacher: ModelDriver, f: FrameRecord): Rows {
  const tok = teacher.checkpoint.tokenizer;
  const stop = new Set([tok.special('<q>'), tok.special('<eos>')]);
  const answer = (question: string) => {
    const ids = teacher.generate(f, qaPrompt(tok, question), { maxNew: ANSWER_TOKENS, stop });
    return tok.decode(ids.filter((id) => !stop.has(id))).trim();
  };
  const plan = teacher.plan(f, f.instruction.text);
  return [
    ...f.qa.map((q) => ({ category: q.category, key: q.key, label: answer(q.question) })),
    { category: 'cot', key: 'decision', label: planDecision(teacher, f.ego.speed, plan.bins) },
    { category: 'reasoning', key: 'trace', label: plan.reasoning },
    ...Array.from(plan.bins, (bin, k) => ({ category: 'actions', key: `t${k}`, label: String(bin) })),
  ];
}

/** Both labellers' rows for the frames of a clip, with provenance: the teacher's first, then the expert's. */
export function labelClip(
  teacher: { readonly driver: ModelDriver; readonly version: string },
  frames: readonly FrameRecord[],
  round: number,
): AutoLabelRecord[] {
  return frames.flatMap((f) => [
    ...teacherRows(teacher.driver, f).map((r) => ({
      ...r,
      step: f.step,
      labeller: 'teacher' as const,
      modelVersion: teacher.version,
      round,
    })),
    ...expertRows(f).map((r) => ({
      ...r,
      step: f.step,
      labeller: 'expert' as const,
      modelVersion: PRIVILEGED,
      round,
    })),
  ]);
}

/** The teacher's agreement with the expert in one category: labels compared and the share equal. */
export interface Agreement {
  readonly labels: number;
  readonly agreed: number;
  readonly share: number | null;
}

/** Agreement per category over auto_labels rows (clip_id, step, labeller, category, key, label), by category name. */
export function agreementOf(rows: readonly JsRow[]): Record<string, Agreement> {
  const expert = new Map<string, string>();
  const id = (r: JsRow) => `${r.clip_id}|${r.step}|${r.category}|${r.key}`;
  for (const r of rows) if (r.labeller === 'expert') expert.set(id(r), String(r.label));
  const tally = new Map<string, { labels: number; agreed: number }>();
  for (const r of rows) {
    if (r.labeller !== 'teacher') continue;
    const want = expert.get(id(r));
    if (want === undefined) continue;
    const t = tally.get(String(r.category)) ?? { labels: 0, agreed: 0 };
    t.labels++;
    if (String(r.label) === want) t.agreed++;
    tally.set(String(r.category), t);
  }
  return Object.fromEntries(
    [...tally]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, t]) => [category, { ...t, share: t.labels > 0 ? t.agreed / t.labels : null }]),
  );
}
