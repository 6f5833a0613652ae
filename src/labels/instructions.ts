// Instructions for instruction-following SFT: the navigation command of the route plus a behaviour instruction
// that the expert's logged behaviour at the frame satisfies, each as a kind and as seeded text.
// Not the expert's options (sim/agents/expert.ts) and not the scenario's own instruction sentence.

import type { Scenario } from '../sim/types.js';
import type { CotTrace, PathDecision, SpeedDecision } from './cot.js';
import type { LabelFrame } from './frame.js';
import { FUTURE_STEPS, logIndex } from './frame.js';
import { phrase } from './qa.js';

const GENTLE = -2.5; // [m/s2] braking no harder than this over the next 4 s is gentle

export type NavigationCommand = Scenario['route']['command'];
export type BehaviourInstruction =
  | 'keep-lane'
  | 'change-left'
  | 'change-right'
  | 'brake-gently'
  | 'keep-speed';

export interface Instruction {
  readonly navigation: NavigationCommand;
  readonly behaviour: BehaviourInstruction;
  readonly text: string;
}

const NAVIGATION_TEXT: Record<NavigationCommand, readonly string[]> = {
  follow: ['Follow the road.', 'Continue along this road.', 'Stay on the road ahead.'],
  'turn-left': ['Turn left at the intersection.', 'Take the next left.', 'At the junction, turn left.'],
  'turn-right': ['Turn right at the intersection.', 'Take the next right.', 'At the junction, turn right.'],
  'go-straight': ['Go straight through the intersection.', 'Cross the junction straight ahead.'],
  'change-left': ['Move over to the left lane.', 'Get into the left lane.'],
  'change-right': ['Move over to the right lane.', 'Get into the right lane.'],
  merge: ['Merge onto the main road.', 'Join the main road from the ramp.'],
};

const BEHAVIOUR_TEXT: Record<BehaviourInstruction, readonly string[]> = {
  'keep-lane': ['Keep your lane.', 'Stay in this lane.'],
  'change-left': ['Change to the left lane now.', 'Move one lane to the left.'],
  'change-right': ['Change to the right lane now.', 'Move one lane to the right.'],
  'brake-gently': ['Brake gently.', 'Slow down smoothly.', 'Ease off and brake softly.'],
  'keep-speed': ['Hold your speed.', 'Keep a steady speed.'],
};

/** The behaviour instruction the expert's next 4 s fulfil: a lane change, gentle braking, or the default. */
export function observedBehaviour(frame: LabelFrame, trace: CotTrace): BehaviourInstruction {
  const { log, step } = frame;
  let hardest = 0; // [m/s2]
  for (let s = step; s < step + FUTURE_STEPS; s++)
    hardest = Math.min(hardest, log.accel[logIndex(log, 0, s)]!);
  return behaviourOf(trace, hardest);
}

/** The behaviour a 4 s motion with these decisions and this hardest acceleration [m/s2] fulfils. */
export function behaviourOf(
  decision: { readonly speed: SpeedDecision; readonly path: PathDecision },
  hardestAccel: number,
): BehaviourInstruction {
  if (decision.path === 'change-left' || decision.path === 'change-right') return decision.path;
  if ((decision.speed === 'slow' || decision.speed === 'stop') && hardestAccel >= GENTLE)
    return 'brake-gently';
  return decision.speed === 'keep' ? 'keep-speed' : 'keep-lane';
}

/** The frame's instruction: navigation command then behaviour, phrased by `seed`. */
export function frameInstruction(frame: LabelFrame, trace: CotTrace, seed: number): Instruction {
  const navigation = frame.scenario.route.command;
  const behaviour = observedBehaviour(frame, trace);
  const text = `${phrase(NAVIGATION_TEXT[navigation], seed, 'navigation')} ${phrase(BEHAVIOUR_TEXT[behaviour], seed, 'behaviour')}`;
  return { navigation, behaviour, text };
}
