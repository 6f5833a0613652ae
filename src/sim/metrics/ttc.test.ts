import { describe, expect, it } from 'vitest';
import { EpisodeContext } from './context.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { ttcSeries } from './ttc.js';

function series(agents: Parameters<typeof buildLog>[0]['agents'], steps = 10) {
  return ttcSeries(new EpisodeContext(scenarioOn(twoWayRoad()), buildLog({ steps, agents })));
}

describe('TTC: time to collision', () => {
  it('fails when closing fast on a stopped car, from the first state within 0.9 s of contact', () => {
    // 15 m/s towards a stopped car whose rear (x = 27) is 14.5 m ahead of ego's front (x = 12.5).
    const s = series([straightMotion(10, 15), straightMotion(29.5, 0)]);
    expect(s.values[0]).toBe(1); // contact 0.97 s away: beyond the 0.9 s projection
    expect(s.values[1]).toBe(0); // 0.87 s away
  });

  it('passes following a car at the same speed and when the car is in the other lane', () => {
    expect(Math.min(...series([straightMotion(10, 15), straightMotion(30, 15)]).values)).toBe(1);
    expect(
      Math.min(
        ...series([straightMotion(10, 15), { at: () => ({ x: 25, y: 3.5, heading: Math.PI, speed: 0 }) }])
          .values,
      ),
    ).toBe(1);
  });

  it('ignores states where ego stands still', () => {
    const s = series([straightMotion(30, 0), straightMotion(10, 15)]);
    expect(Array.from(s.valid)).toEqual(new Array(11).fill(0));
  });

  it("projects against the agents' logged future, not a constant-velocity guess", () => {
    // Ego at 10 m/s from x = 10; a car 7.5 m ahead (2.5 m gap) at 10 m/s stops dead at state 5 (x = 22.5).
    // At state 0, k = 9: ego moved 0.9 s -> x = 19 (front 21.5) against the car's logged state 9 (rear 20):
    // overlap, ahead -> TTC 0. Constant velocity put the car at 26.5 (rear 24): no overlap, the old rule passed.
    const car = { at: (t: number) => ({ x: 17.5 + Math.min(t, 5), y: 0, speed: t < 5 ? 10 : 0 }) };
    expect(series([straightMotion(10, 10), car]).values[0]).toBe(0);
  });
});
