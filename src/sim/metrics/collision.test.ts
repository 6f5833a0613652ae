import { describe, expect, it } from 'vitest';
import { AgentKind } from '../types.js';
import { collisions } from './collision.js';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';

function analyse(agents: Parameters<typeof buildLog>[0]['agents'], steps = 40) {
  const ctx = new EpisodeContext(scenarioOn(twoWayRoad()), buildLog({ steps, agents }));
  const result = collisions(ctx);
  return { nc: reduceMin(result.series).value, events: result.events };
}

describe('NC: at-fault collisions', () => {
  it('blames a frontal hit on a slower car ahead (NC 0)', () => {
    const { nc, events } = analyse([straightMotion(10, 10), straightMotion(25, 2)]);
    expect(nc).toBe(0);
    expect(events[0]).toMatchObject({ agent: 1, type: 'active-front', atFault: true, agentKind: 'vehicle' });
  });

  it('does not blame ego for being rear-ended by a faster car', () => {
    const { nc, events } = analyse([straightMotion(30, 5), straightMotion(10, 15)]);
    expect(nc).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'active-rear', atFault: false });
  });

  it('does not blame a stopped ego', () => {
    const { nc, events } = analyse([straightMotion(30, 0), straightMotion(10, 10)]);
    expect(nc).toBe(1);
    expect(events[0]?.type).toBe('stopped-ego');
  });

  it('gives NC 0.5 for hitting a static obstacle and 0 for a stopped car', () => {
    const obstacle = analyse([
      straightMotion(10, 10),
      { kind: AgentKind.obstacle, length: 1, width: 1, ...straightMotion(30, 0) },
    ]);
    expect(obstacle.nc).toBe(0.5);
    expect(obstacle.events[0]).toMatchObject({ type: 'stopped-track', agentKind: 'obstacle', score: 0.5 });
    const stopped = analyse([straightMotion(10, 10), straightMotion(30, 0)]);
    expect(stopped.nc).toBe(0);
  });

  it('blames a side contact only while ego straddles lanes', () => {
    // A car alongside, 1 m back, drifts into ego's left side from y = 2.6 down (ego is 2 m wide).
    const drifter = { at: (t: number) => ({ x: 19 + t, y: 2.6 - 0.05 * t, speed: 10 }) };
    const centred = analyse([{ at: (t: number) => ({ x: 20 + t, y: 0, speed: 10 }) }, drifter]);
    expect(centred.nc).toBe(1);
    expect(centred.events[0]).toMatchObject({ type: 'active-lateral', atFault: false });
    // Ego at y = 0.9: its left corners at y = 1.9 are outside lane 0 (|y| > 1.75).
    const straddling = analyse([{ at: (t: number) => ({ x: 20 + t, y: 0.9, speed: 10 }) }, drifter]);
    expect(straddling.nc).toBe(0);
    expect(straddling.events[0]).toMatchObject({ type: 'active-lateral', atFault: true });
  });

  it('blames reversing into a car behind', () => {
    const { nc, events } = analyse([straightMotion(30, -5), straightMotion(15, 1)]);
    expect(nc).toBe(0);
    expect(events[0]?.type).toBe('active-front');
  });

  it('measures the rear-hit angle from the rear axle: a side-rear contact at 135 deg while straddling is at fault', () => {
    // Ego (5 x 2 m) at y = 0.9 moving east at 10 m/s: its corners reach lane 0 (y -0.1) and lane 1 (y 1.9), no
    // lane holds all four, so it is in multiple lanes. Its rear axle is the middle of its rear edge (x - 2.5).
    // A car alongside at the rear axle + 1.9 m * (cos 135 deg, sin 135 deg) = (x - 4.4, y + 1.9) overlaps ego's
    // rear-left corner (x overlap [x - 2.5, x - 1.9], y overlap [1.8, 1.9]). Seen from the rear axle it is
    // 135 deg off ego's heading (not behind: <= 150 deg); ego's front edge does not touch it: active-lateral,
    // at fault while straddling. From the box centre it is atan2(1.9, -4.4) = 156.6 deg off: the old rule
    // called it active-rear and not at fault.
    const ego = (y: number) => ({ at: (t: number) => ({ x: 30 + t, y, speed: 10 }) });
    const car = (y: number) => ({ at: (t: number) => ({ x: 30 + t - 4.4, y: y + 1.9, speed: 10 }) });
    const straddling = analyse([ego(0.9), car(0.9)], 5);
    expect(straddling.events[0]).toMatchObject({ type: 'active-lateral', atFault: true });
    expect(straddling.nc).toBe(0);
    // The same contact with ego centred in lane 0 (all corners inside it) is not its fault.
    const centred = analyse([ego(0), car(0)], 5);
    expect(centred.events[0]).toMatchObject({ type: 'active-lateral', atFault: false });
    expect(centred.nc).toBe(1);
  });
});
