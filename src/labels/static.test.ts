import { describe, expect, it } from 'vitest';
import { redLightFrame, STOP_S } from './fixtures.js';
import { egoOnRoad } from './road-ahead.js';
import { staticLabel, staticQa } from './static.js';

describe('static labels', () => {
  it("give ego's lane, the lane count, the speed limit and the stop line ahead from the map", () => {
    const frame = redLightFrame();
    const label = staticLabel(frame, egoOnRoad(frame));
    const lane = frame.scenario.map.lanes[0]!;
    expect(label.laneId).toBe(0);
    expect(label.laneCount).toBe(1);
    expect(label.laneIndex).toBe(1);
    expect(label.speedLimit).toBe(lane.speedLimit);
    expect(label.stopLines).toEqual([{ distance: STOP_S - 60, signalised: true }]);
    expect(label.crosswalks).toEqual([]);
    const qa = Object.fromEntries(staticQa(label, 3).map((q) => [q.key, q.answer]));
    expect(qa).toMatchObject({
      stop_line_distance: '40 m',
      lane_count: '1',
      speed_limit: '15 m/s',
      crosswalk_distance: 'none',
    });
  });
});
