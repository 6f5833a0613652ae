import { describe, expect, it } from 'vitest';
import { redLightFrame } from './fixtures.js';
import type { StaticLabel } from './static.js';
import { tflLabel, tflQa } from './tfl.js';

const ONE_LANE: StaticLabel = {
  laneId: 0,
  laneIndex: 1,
  laneCount: 1,
  onJunction: false,
  speedLimit: 15,
  stopLines: [],
  crosswalks: [],
};

describe('traffic-flow labels', () => {
  it('count the vehicles around ego, their mean speed and the stopped queue ahead', () => {
    const label = tflLabel(redLightFrame(), ONE_LANE);
    // the queued car (0 m/s, 22 m ahead) is in the window; the oncoming car is 70 m ahead, outside it
    expect(label.density).toBeCloseTo(10, 6); // 1 vehicle in 100 m of 1 lane
    expect(label.meanSpeed).toBe(0);
    expect(label.queueVehicles).toBe(1);
    expect(label.queueLength).toBeCloseTo(5, 4);
    expect(label.level).toBe('light');
    expect(label.sentence).toBe(
      'Light traffic, standing still. A queue of 1 stopped vehicle (5 m) is ahead in your lane.',
    );
    const qa = Object.fromEntries(tflQa(label, 0).map((q) => [q.key, q.answer]));
    expect(qa).toMatchObject({
      queue_vehicles: '1',
      mean_speed: '0 m/s',
      density: '10',
      flow_level: 'light',
    });
  });
});
