// Chain-of-thought traces written from the privileged view: critical objects, their likely behaviour, the
// rule that applies and the expert's decision (read from what it did next), in a long and a short form.
// Not the label categories themselves (frame-labels.ts) and not the model's tokenisation of these strings.

import { wrapAngle } from '../core/angle.js';
import type { Participant } from './dynamic.js';
import { leadParticipant } from './dynamic.js';
import { FUTURE_STEPS, type LabelFrame, logIndex } from './frame.js';
import type { FrameLabels } from './frame-labels.js';
import { metres, metresPerSecond, whole } from './qa.js';

const STOPPED = 0.5; // [m/s]
const SPEED_CHANGE = 2; // [m/s] over 4 s: less than this is keeping speed
const LIGHT_REACH = 60; // [m] a light further away does not shape the decision yet
const PATH_HALF_WIDTH = 5; // [m] a pedestrian this close to ego's axis is in its path or at the kerb
const PEDESTRIAN_REACH = 30; // [m]
const LEAD_REACH = 40; // [m]
const LANE_CHANGE = 2.5; // [m] sideways in 4 s without turning: a lane change
const TURN = 0.6; // [rad] heading change in 4 s: a turn

export type SpeedDecision = 'stop' | 'hold' | 'start' | 'slow' | 'accelerate' | 'keep';
export type PathDecision = 'straight' | 'turn-left' | 'turn-right' | 'change-left' | 'change-right';

export interface CotTrace {
  readonly speed: SpeedDecision;
  readonly path: PathDecision;
  readonly critical: readonly number[]; // agent indices the trace names
  readonly long: string;
  readonly short: string;
}

/** A 4 s stretch of ego motion, as the decisions are read from it (the log's, or a decoded plan's). */
export interface Motion {
  readonly speedNow: number; // [m/s]
  readonly speedLater: number; // [m/s] 4 s on
  readonly turned: number; // [rad] heading change over the 4 s, wrapped, positive left
  readonly side: number; // [m] leftward position 4 s on, in the frame of the start
}

/** The speed and path decisions a 4 s motion shows. */
export function decisionOf(m: Motion): { speed: SpeedDecision; path: PathDecision } {
  const { speedNow: now, speedLater: later, turned, side } = m;
  const speed: SpeedDecision =
    now < STOPPED
      ? later < STOPPED
        ? 'hold'
        : 'start'
      : later < STOPPED
        ? 'stop'
        : later < now - SPEED_CHANGE
          ? 'slow'
          : later > now + SPEED_CHANGE
            ? 'accelerate'
            : 'keep';
  const path: PathDecision =
    turned > TURN
      ? 'turn-left'
      : turned < -TURN
        ? 'turn-right'
        : side > LANE_CHANGE
          ? 'change-left'
          : side < -LANE_CHANGE
            ? 'change-right'
            : 'straight';
  return { speed, path };
}

/** What the expert did over the 4 s after the frame, read from the log. */
export function expertDecision(
  frame: LabelFrame,
  labels: FrameLabels,
): { speed: SpeedDecision; path: PathDecision } {
  const { log, step } = frame;
  return decisionOf({
    speedNow: log.speed[logIndex(log, 0, step)]!,
    speedLater: log.speed[logIndex(log, 0, step + FUTURE_STEPS)]!,
    turned: wrapAngle(
      log.heading[logIndex(log, 0, step + FUTURE_STEPS)]! - log.heading[logIndex(log, 0, step)]!,
    ),
    side: labels.trajectory.ego[labels.trajectory.ego.length - 1]!,
  });
}

/** A trace for the frame: critical objects, behaviour, rule, decision. */
export function cotTrace(frame: LabelFrame, labels: FrameLabels): CotTrace {
  const { speed, path } = expertDecision(frame, labels);
  const later = frame.log.speed[logIndex(frame.log, 0, frame.step + FUTURE_STEPS)]!;
  const { tsl } = labels;
  const light = tsl.state !== 'none' && tsl.distance <= LIGHT_REACH ? tsl : null;
  const pedestrian = labels.dynamic.participants.find(
    (p) => p.kind === 'pedestrian' && p.x > 0 && p.x < PEDESTRIAN_REACH && Math.abs(p.y) < PATH_HALF_WIDTH,
  );
  const leadAny = leadParticipant(labels.dynamic);
  const lead = leadAny && leadAny.x < LEAD_REACH ? leadAny : undefined;

  const seen: string[] = [];
  const brief: string[] = [];
  if (light) {
    const change = light.state === 'red' ? '' : `, changing in about ${whole(light.timeToChange)} s`;
    seen.push(`${capital(light.state)} light ${metres(light.distance)} ahead${change}`);
    brief.push(`${light.state} ${whole(light.distance)}m`);
  }
  if (pedestrian) {
    seen.push(`pedestrian ${metres(pedestrian.x)} ahead, ${behaviour(pedestrian)}`);
    brief.push(`ped ${whole(pedestrian.x)}m`);
  }
  if (lead && lead !== pedestrian) {
    seen.push(
      `${lead.kind === 'obstacle' ? 'obstacle' : `lead ${lead.kind}`} ${metres(lead.x)} ahead, ${behaviour(lead)}`,
    );
    brief.push(`${lead.kind === 'obstacle' ? 'obst' : 'lead'} ${whole(lead.x)}m`);
  }
  if (seen.length === 0) {
    seen.push(`Road clear ahead, limit ${metresPerSecond(labels.static.speedLimit)}`);
    brief.push('clear');
  }
  const rule =
    light?.state === 'red'
      ? 'stop at a red light'
      : light?.state === 'yellow'
        ? 'stop at yellow when it is safe to'
        : pedestrian
          ? 'yield to pedestrians'
          : lead
            ? 'keep a safe gap to the road user ahead'
            : 'keep to the speed limit';
  const act = decisionWords(
    speed,
    path,
    later,
    light !== null && (light.state === 'red' || light.state === 'yellow'),
  );
  const critical = [pedestrian, lead].filter((p): p is Participant => p !== undefined).map((p) => p.agent);
  return {
    speed,
    path,
    critical: [...new Set(critical)],
    long: `${capital(seen.join('; '))}. Rule: ${rule}. Decision: ${act}.`,
    short: `${brief.join('; ')}; ${SHORT_SPEED[speed]}${path === 'straight' ? '' : ` ${path}`}`,
  };
}

const SHORT_SPEED: Record<SpeedDecision, string> = {
  stop: 'stop',
  hold: 'hold',
  start: 'go',
  slow: 'slow',
  accelerate: 'speed up',
  keep: 'keep',
};

function behaviour(p: Participant): string {
  const speed = Math.hypot(p.vx, p.vy);
  if (speed < STOPPED) return 'stopped, likely to stay';
  if (p.kind === 'pedestrian')
    return Math.abs(p.vy) > Math.abs(p.vx) ? 'crossing your path' : 'walking along the road';
  if (p.vx < -STOPPED) return 'coming towards you';
  return `moving at ${metresPerSecond(speed)}`;
}

function decisionWords(speed: SpeedDecision, path: PathDecision, later: number, beforeLine: boolean): string {
  const where = path === 'straight' ? '' : ` and ${path.replace('-', ' ')}`;
  switch (speed) {
    case 'stop':
      return `decelerate to stop${beforeLine ? ' before the line' : ''}${where}`;
    case 'hold':
      return `stay stopped${where}`;
    case 'start':
      return `pull away to ${metresPerSecond(later)}${where}`;
    case 'slow':
      return `slow down to ${metresPerSecond(later)}${where}`;
    case 'accelerate':
      return `speed up to ${metresPerSecond(later)}${where}`;
    case 'keep':
      return `keep ${metresPerSecond(later)}${where}`;
  }
}

function capital(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}
