import { describe, expect, it } from 'vitest';
import { allocAgents } from '../state.js';
import { AgentKind } from '../types.js';
import { LaneIndex } from './lane-index.js';

describe('LaneIndex', () => {
  it('finds the nearest vehicle ahead and behind on a lane, skipping the asker, pedestrians and invalid agents', () => {
    const a = allocAgents(6);
    const place = (i: number, kind: AgentKind, laneId: number, s: number, valid = 1) => {
      a.kind[i] = kind;
      a.laneId[i] = laneId;
      a.laneS[i] = s;
      a.valid[i] = valid;
    };
    place(0, AgentKind.ego, 1, 50);
    place(1, AgentKind.vehicle, 1, 80);
    place(2, AgentKind.vehicle, 1, 20);
    place(3, AgentKind.pedestrian, 1, 60);
    place(4, AgentKind.vehicle, 1, 55, 0); // gone
    place(5, AgentKind.obstacle, 0, 10);
    const index = new LaneIndex();
    index.build(a, 3);
    expect(index.size).toBe(4);
    expect(index.ahead(a, 1, 50, 0, -1)).toBe(1);
    expect(index.ahead(a, 1, 50, 0, 1)).toBe(-1); // skipping the only one ahead
    expect(index.behind(a, 1, 50, 0)).toBe(2);
    expect(index.ahead(a, 1, Number.NEGATIVE_INFINITY, 0, -1)).toBe(2); // the first on the lane
    expect(index.ahead(a, 0, 0, -1, -1)).toBe(5);
    expect(index.ahead(a, 2, 0, -1, -1)).toBe(-1);
    expect(index.pedestrians).toEqual([3]);
  });
});
