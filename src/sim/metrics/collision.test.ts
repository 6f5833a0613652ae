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
});
