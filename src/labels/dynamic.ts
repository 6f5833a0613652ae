// Dynamic-participant labels: the agents near ego with class, position, velocity and heading in ego's frame.
// Not their futures (trajectory.ts) and not the occupancy they make (occupancy.ts).

import { wrapAngle } from '../core/angle.js';
import { AGENT_KIND_NAMES, AgentKind } from '../sim/types.js';
import { egoForward, egoLeft, type LabelFrame, logIndex, poseAt } from './frame.js';
import { askAll, metres, metresPerSecond, type QaPair } from './qa.js';

const RADIUS = 50; // [m] agents further from ego are not labelled
const MAX_AGENTS = 16; // nearest first
const NEAR = 30; // [m] radius of the counting questions
const LANE_HALF_WIDTH = 1.75; // [m] an agent within this of ego's axis and ahead is in ego's path

/** The QA keys of the questions about what leads in ego's path: its kind, gap and speed. */
export const LEAD_KEYS = { kind: 'lead_class', distance: 'lead_distance', speed: 'lead_speed' } as const;

export type ParticipantClass = (typeof AGENT_KIND_NAMES)[number];

export interface Participant {
  readonly agent: number; // index in the log
  readonly kind: ParticipantClass;
  readonly x: number; // forward of ego [m]
  readonly y: number; // left of ego [m]
  readonly vx: number; // velocity in ego's frame [m/s]
  readonly vy: number; // [m/s]
  readonly heading: number; // relative to ego's, in (-pi, pi] [rad]
  readonly distance: number; // centre to centre [m]
}

export interface DynamicLabel {
  readonly participants: readonly Participant[]; // nearest first, at most MAX_AGENTS
}

export function dynamicLabel(frame: LabelFrame): DynamicLabel {
  const { log, step } = frame;
  const ego = poseAt(log, 0, step);
  const participants: Participant[] = [];
  for (let a = 1; a < log.agents; a++) {
    const i = logIndex(log, a, step);
    if (!log.valid[i]) continue;
    const x = egoForward(ego, log.x[i]!, log.y[i]!);
    const y = egoLeft(ego, log.x[i]!, log.y[i]!);
    const distance = Math.hypot(x, y);
    if (distance > RADIUS) continue;
    const heading = wrapAngle(log.heading[i]! - ego.heading);
    const speed = log.speed[i]!;
    participants.push({
      agent: a,
      kind: AGENT_KIND_NAMES[log.kind[a]!]!,
      x,
      y,
      vx: speed * Math.cos(heading),
      vy: speed * Math.sin(heading),
      heading,
      distance,
    });
  }
  participants.sort((p, q) => p.distance - q.distance || p.agent - q.agent);
  return { participants: participants.slice(0, MAX_AGENTS) };
}

/** The nearest participant ahead in ego's path, or undefined. */
export function leadParticipant(label: DynamicLabel): Participant | undefined {
  let lead: Participant | undefined;
  for (const p of label.participants) {
    if (p.x > 0 && Math.abs(p.y) < LANE_HALF_WIDTH && (!lead || p.x < lead.x)) lead = p;
  }
  return lead;
}

export function dynamicQa(label: DynamicLabel, seed: number): QaPair[] {
  const near = label.participants.filter((p) => p.distance <= NEAR);
  const count = (kind: number) => String(near.filter((p) => p.kind === AGENT_KIND_NAMES[kind]).length);
  const lead = leadParticipant(label);
  return askAll('dynamic', seed, [
    [
      'vehicles_near',
      [
        'How many vehicles are within 30 m?',
        'Count the vehicles within 30 m of you.',
        'Vehicles within 30 m?',
      ],
      count(AgentKind.vehicle),
    ],
    [
      'pedestrians_near',
      [
        'How many pedestrians are within 30 m?',
        'Count the pedestrians within 30 m.',
        'Pedestrians within 30 m?',
      ],
      count(AgentKind.pedestrian),
    ],
    [
      LEAD_KEYS.kind,
      ['What is directly ahead of you in your path?', 'What kind of road user is ahead in your lane?'],
      lead ? lead.kind : 'none',
    ],
    [
      LEAD_KEYS.distance,
      ['How far ahead is the nearest road user in your path?', 'Gap to whatever is ahead in your lane?'],
      lead ? metres(lead.x) : 'none',
    ],
    [
      LEAD_KEYS.speed,
      ['How fast is the road user ahead of you moving?', 'Speed of the one ahead in your lane?'],
      lead ? metresPerSecond(lead.vx) : 'none',
    ],
  ]);
}
