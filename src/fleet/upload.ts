// A fleet car's upload: the window around a trigger's event as a lake clip (source fleet) whose keyframes are
// labelled by the expert taking over there (as on-policy clips are), with the upload's row (trigger, round, car
// model, the truth) and the factory's labels. Content ids: the same car, scenario, trigger and step give the
// same clip, so re-uploading writes nothing. Not the triggers (triggers/) nor the labelling (auto-label.ts).

import { clipKey, GENERATOR_VERSION, type GenerateDeps, type PlannedClip } from '../data/generate.js';
import type { AutoLabelRecord, FrameRecord } from '../data/records.js';
import type { ActionBins } from '../labels/action-bins.js';
import type { Scenario } from '../sim/types.js';
import { keyframes } from './auto-label.js';
import type { FleetRollout } from './drive.js';
import type { OnPolicyDeps } from './on-policy.js';
import { takeoverFrames } from './on-policy.js';
import type { FiredEvent } from './triggers/index.js';

/** What an upload needs besides the event: the round, the car's id, the lake's bins, how to render and label. */
export interface UploadSetting {
  readonly round: number;
  readonly carModel: string; // content id of the car model's weights
  readonly bins: ActionBins;
  readonly binsId: string;
  readonly keyframeEvery: number; // [steps]
  readonly deps: Pick<OnPolicyDeps, 'expertTakeover' | 'render' | 'kinematics'> &
    Pick<GenerateDeps, 'clipMetrics'>;
  readonly label: (frames: readonly FrameRecord[]) => AutoLabelRecord[];
}

/** The clip of one event of one car's episode, built (rendered, labelled) only if the lake lacks it. */
export function plannedUpload(
  scenario: Scenario,
  rollout: FleetRollout,
  event: FiredEvent,
  failed: boolean,
  s: UploadSetting,
): PlannedClip {
  const variant = `fleet/${s.carModel}/${event.trigger}/${event.step}`;
  const key = clipKey(rollout.family, rollout.seed, s.binsId, variant);
  const build = () => {
    const steps = keyframes(rollout.log, event.start, event.end, s.keyframeEvery);
    const frames = takeoverFrames(s.deps, scenario, rollout.log, steps, s.bins);
    return {
      ...key,
      generator: GENERATOR_VERSION,
      source: 'fleet' as const,
      scenarioInstruction: scenario.instruction,
      metrics: s.deps.clipMetrics(scenario, rollout.log),
      frames,
      upload: {
        trigger: event.trigger,
        round: s.round,
        carModel: s.carModel,
        eventStep: event.step,
        windowStart: event.start,
        windowEnd: event.end,
        value: event.value,
        failed,
      },
      autoLabels: s.label(frames),
    };
  };
  return { key, build };
}
