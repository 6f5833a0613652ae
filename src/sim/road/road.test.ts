import { describe, expect, it } from 'vitest';
import { wrapAngle } from '../../core/angle.js';
import { Rng } from '../../core/rng.js';
import { LightColour } from '../types.js';
import { isDrivable } from './drivable.js';
import { lanePose, projectToLane } from './geometry.js';
import { locate, routeLanes } from './lane-graph.js';
import { buildHighway } from './layouts/highway.js';
import { buildIntersection, connectorKey } from './layouts/intersection.js';
import { buildMerge } from './layouts/merge.js';
import { buildStreet } from './layouts/street.js';
import { lightColourAt, timeToChange } from './lights.js';

const intersection = () =>
  buildIntersection({ kind: 'four-way', lanes: 2, armLength: 100, green: 12 }, new Rng(3));

describe('lane geometry', () => {
  it('projects a pose back to its arc length and lateral offset', () => {
    const { map, lanes } = buildHighway({ lanes: 3, length: 800 }, new Rng(1));
    const lane = map.lanes[lanes[1]];
    for (const s of [5, 123.4, 400, 790]) {
      const pose = lanePose(lane, s);
      const left = 1.2; // [m]
      const p = projectToLane(
        lane,
        pose.x - Math.sin(pose.heading) * left,
        pose.y + Math.cos(pose.heading) * left,
      );
      expect(p.s).toBeCloseTo(s, 1);
      expect(p.lateral).toBeCloseTo(left, 2);
    }
  });
});

describe('junction connectors', () => {
  it('turn a quarter turn left or right and go straight on', () => {
    const { map, connectors } = intersection();
    const turn = (key: string) => {
      const lane = map.lanes[connectors.get(key)!];
      return wrapAngle(lanePose(lane, lane.length).heading - lanePose(lane, 0).heading);
    };
    // The end segments are chords of the curve, a few hundredths of a radian off its tangents.
    expect(Math.abs(turn(connectorKey(0, 'left', 0)) - Math.PI / 2)).toBeLessThan(0.1);
    expect(Math.abs(turn(connectorKey(1, 'right', 1)) + Math.PI / 2)).toBeLessThan(0.1);
    expect(turn(connectorKey(2, 'straight', 0))).toBeCloseTo(0, 3);
  });
});

describe('layouts', () => {
  it('make every lane centre drivable and every lane locatable', () => {
    const maps = [
      buildHighway({ lanes: 4, length: 1000 }, new Rng(2)).map,
      buildMerge({ lanes: 2, before: 200, zone: 150, after: 300 }, new Rng(2)).map,
      buildStreet({ forward: 2, backward: 1, length: 400, crosswalkAt: 200 }, new Rng(2)).map,
      intersection().map,
    ];
    for (const map of maps) {
      for (const lane of map.lanes) {
        for (const s of [1, lane.length / 2, lane.length - 1]) {
          const pose = lanePose(lane, s);
          expect(isDrivable(map.drivable, pose.x, pose.y)).toBe(true);
          const here = locate(map, pose.x, pose.y, pose.heading);
          expect(here).not.toBeNull();
          expect(Math.abs(here!.lateral)).toBeLessThan(0.05);
        }
      }
      expect(isDrivable(map.drivable, map.bounds[0] + 1, map.bounds[1] + 1)).toBe(false);
    }
  });

  it('connect each approach of a four-way junction straight, left and right through connectors', () => {
    const { map, arms, connectors } = intersection();
    const east = arms[0];
    const north = arms[1];
    const route = routeLanes(map, east.incoming[0], north.outgoing[0]);
    // Heading west, north is a right turn, made from the outer lane: the route changes lanes before it.
    expect(route).not.toBeNull();
    expect(route![route!.length - 1]).toBe(north.outgoing[0]);
    expect(map.lanes[east.incoming[0]].stopLine?.lightId).toBe(east.lightId);
    expect(connectors.size).toBe(4 * (2 + 1 + 1));
  });

  it('let a merge ramp reach the highway through the acceleration lane', () => {
    const merge = buildMerge({ lanes: 2, before: 200, zone: 150, after: 300 }, new Rng(5));
    const route = routeLanes(merge.map, merge.ramp, merge.after[1]);
    expect(route).toEqual([merge.ramp, merge.accelerationLane, merge.zone[1], merge.after[1]]);
    expect(merge.map.lanes[merge.accelerationLane].successors).toEqual([]);
  });
});

describe('traffic lights', () => {
  it('cycle green, yellow, red with the controller timings, the two groups never green together', () => {
    const { map, arms } = intersection();
    const c = map.controllers[0];
    const seen = new Set<number>();
    for (let t = 0; t < 80; t += 0.25) {
      const a = lightColourAt(map, arms[0].lightId, t);
      const b = lightColourAt(map, arms[1].lightId, t);
      seen.add(a);
      expect(a === LightColour.green && b === LightColour.green).toBe(false);
      const change = timeToChange(map, arms[0].lightId, t);
      expect(lightColourAt(map, arms[0].lightId, t + change - 0.01)).toBe(a);
      expect(lightColourAt(map, arms[0].lightId, t + change + 0.01)).not.toBe(a);
    }
    expect(seen.size).toBe(3);
    expect(c.green).toBe(12);
  });
});
